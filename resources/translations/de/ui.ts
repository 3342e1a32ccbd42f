<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
  <context>
    <name>Treffpunkt</name>
    <message>
      <source>&amp;Camera on</source>
      <translation>&amp;Kamera an</translation>
    </message>
    <message>
      <source>&amp;Invitation to send:</source>
      <translation>&amp;Einladung zum Verschicken:</translation>
    </message>
    <message>
      <source>&amp;Microphone on</source>
      <translation>&amp;Mikrofon an</translation>
    </message>
    <message>
      <source>&amp;Name:</source>
      <translation>&amp;Name:</translation>
    </message>
    <message>
      <source>&amp;Password:</source>
      <translation>&amp;Passwort:</translation>
    </message>
    <message>
      <source>&amp;Room name or link</source>
      <translation>&amp;Raumname oder Link</translation>
    </message>
    <message>
      <source>&amp;To:</source>
      <translation>&amp;An:</translation>
    </message>
    <message>
      <source>&amp;User name:</source>
      <translation>&amp;Benutzername:</translation>
    </message>
    <message>
      <source>A device was disconnected</source>
      <translation>Ein Gerät wurde getrennt</translation>
    </message>
    <message>
      <source>A moderator declined your request to join.</source>
      <translation>Eine Moderatorin oder ein Moderator hat Ihre Beitrittsanfrage abgelehnt.</translation>
    </message>
    <message>
      <source>A moderator has turned off your camera.</source>
      <translation>Eine Moderatorin oder ein Moderator hat Ihre Kamera ausgeschaltet.</translation>
    </message>
    <message>
      <source>A moderator has turned off your microphone.</source>
      <translation>Eine Moderatorin oder ein Moderator hat Ihr Mikrofon ausgeschaltet.</translation>
    </message>
    <message>
      <source>A moderator removed you from the meeting.</source>
      <translation>Eine Moderatorin oder ein Moderator hat Sie aus der Besprechung entfernt.</translation>
    </message>
    <message>
      <source>About your settings</source>
      <translation>Zu Ihren Einstellungen</translation>
    </message>
    <message>
      <source>Access denied</source>
      <translation>Zutritt verweigert</translation>
    </message>
    <message>
      <source>Address of another server</source>
      <translation>Adresse eines anderen Servers</translation>
    </message>
    <message>
      <source>Address of the server</source>
      <translation>Adresse des Servers</translation>
    </message>
    <message>
      <source>Allow Treffpunkt to use the camera and microphone in your system settings, then try again.</source>
      <translation>Erlauben Sie Treffpunkt in den Systemeinstellungen, Kamera und Mikrofon zu verwenden, und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
      <source>Another server:</source>
      <translation>Anderer Server:</translation>
    </message>
    <message>
      <source>Anyone with the link can join.</source>
      <translation>Alle mit dem Link können teilnehmen.</translation>
    </message>
    <message>
      <source>Are you the host? Then sign in below.</source>
      <translation>Sind Sie der Gastgeber? Dann melden Sie sich unten an.</translation>
    </message>
    <message>
      <source>Ask the organiser for the current password, then try again.</source>
      <translation>Fragen Sie die Organisatorin bzw. den Organisator nach dem aktuellen Passwort und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
      <source>Ask the organiser for the password, then try again.</source>
      <translation>Fragen Sie die Organisatorin bzw. den Organisator nach dem Passwort und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
      <source>Audio only (no video, saves data)</source>
      <translation>Nur Ton (kein Video, spart Daten)</translation>
    </message>
    <message>
      <source>Back</source>
      <translation>Zurück</translation>
    </message>
    <message>
      <source>Back to the start</source>
      <translation>Zurück zum Start</translation>
    </message>
    <message>
      <source>Back to the tile view</source>
      <translation>Zurück zur Kachelansicht</translation>
    </message>
    <message>
      <source>Camera</source>
      <translation>Kamera</translation>
    </message>
    <message>
      <source>camera off</source>
      <translation>Kamera aus</translation>
    </message>
    <message>
      <source>Camera off</source>
      <translation>Kamera aus</translation>
    </message>
    <message>
      <source>Camera on</source>
      <translation>Kamera an</translation>
    </message>
    <message>
      <source>Camera or microphone problem</source>
      <translation>Problem mit Kamera oder Mikrofon</translation>
    </message>
    <message>
      <source>Camera, microphone and speaker</source>
      <translation>Kamera, Mikrofon und Lautsprecher</translation>
    </message>
    <message>
      <source>Camera:</source>
      <translation>Kamera:</translation>
    </message>
    <message>
      <source>Camera: it is in use by another program or cannot be opened. Close other video programs and check again.</source>
      <translation>Kamera: Sie wird von einem anderen Programm verwendet oder lässt sich nicht öffnen. Schließen Sie andere Videoprogramme und prüfen Sie erneut.</translation>
    </message>
    <message>
      <source>Camera: none found. You can still join with your microphone.</source>
      <translation>Kamera: keine gefunden. Sie können trotzdem mit Ihrem Mikrofon teilnehmen.</translation>
    </message>
    <message>
      <source>Camera: {name}</source>
      <translation>Kamera: {name}</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>Abbrechen</translation>
    </message>
    <message>
      <source>Careful: {host} looks like {known} but is a different server. Check the link.</source>
      <translation>Vorsicht: {host} sieht aus wie {known}, ist aber ein anderer Server. Prüfen Sie den Link.</translation>
    </message>
    <message>
      <source>Change server</source>
      <translation>Server ändern</translation>
    </message>
    <message>
      <source>Chat</source>
      <translation>Chat</translation>
    </message>
    <message>
      <source>Chat ({count})</source>
      <translation>Chat ({count})</translation>
    </message>
    <message>
      <source>Chat messages</source>
      <translation>Chat-Nachrichten</translation>
    </message>
    <message>
      <source>Chat, {count} unread messages</source>
      <translation>Chat, {count} ungelesene Nachrichten</translation>
    </message>
    <message>
      <source>Check</source>
      <translation>Prüfen</translation>
    </message>
    <message>
      <source>Check again</source>
      <translation>Erneut prüfen</translation>
    </message>
    <message>
      <source>Check that others will see and hear you. Speak: the bar should move.</source>
      <translation>Prüfen Sie, ob die anderen Sie sehen und hören werden. Sprechen Sie: Der Balken sollte sich bewegen.</translation>
    </message>
    <message>
      <source>Check that the device is connected and not used by another program, then choose it in the settings.</source>
      <translation>Prüfen Sie, ob das Gerät angeschlossen ist und nicht von einem anderen Programm verwendet wird, und wählen Sie es dann in den Einstellungen aus.</translation>
    </message>
    <message>
      <source>Check that you are online, then try again.</source>
      <translation>Prüfen Sie, ob Sie mit dem Internet verbunden sind, und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
      <source>Check that you are online. If other websites work, the server may be down for a moment: try again in a few minutes.</source>
      <translation>Prüfen Sie, ob Sie mit dem Internet verbunden sind. Wenn andere Webseiten funktionieren, ist der Server vielleicht kurz nicht verfügbar: Versuchen Sie es in ein paar Minuten erneut.</translation>
    </message>
    <message>
      <source>Check the address. If the other server is right, enter it yourself.</source>
      <translation>Prüfen Sie die Adresse. Wenn der andere Server richtig ist, geben Sie ihn selbst ein.</translation>
    </message>
    <message>
      <source>Check the server address in the settings, or try again later.</source>
      <translation>Prüfen Sie die Serveradresse in den Einstellungen oder versuchen Sie es später erneut.</translation>
    </message>
    <message>
      <source>Check the server address in the settings. Your town's website names the right address.</source>
      <translation>Prüfen Sie die Serveradresse in den Einstellungen. Auf der Webseite Ihrer Stadt finden Sie die richtige Adresse.</translation>
    </message>
    <message>
      <source>Check the user name and password, then try again.</source>
      <translation>Prüfen Sie Benutzernamen und Passwort und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
      <source>Checking the server…</source>
      <translation>Server wird geprüft …</translation>
    </message>
    <message>
      <source>Clear everything…</source>
      <translation>Alles löschen …</translation>
    </message>
    <message>
      <source>Clear list</source>
      <translation>Liste leeren</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>Schließen</translation>
    </message>
    <message>
      <source>Communication problem</source>
      <translation>Verständigungsproblem</translation>
    </message>
    <message>
      <source>Connecting to {server}.</source>
      <translation>Verbindung mit {server} wird hergestellt.</translation>
    </message>
    <message>
      <source>Connecting…</source>
      <translation>Verbindung wird hergestellt …</translation>
    </message>
    <message>
      <source>Connection lost</source>
      <translation>Verbindung verloren</translation>
    </message>
    <message>
      <source>Connection not secure</source>
      <translation>Verbindung nicht sicher</translation>
    </message>
    <message>
      <source>Continue</source>
      <translation>Weiter</translation>
    </message>
    <message>
      <source>Copy invitation</source>
      <translation>Einladung kopieren</translation>
    </message>
    <message>
      <source>Copy invitation link</source>
      <translation>Einladungslink kopieren</translation>
    </message>
    <message>
      <source>Copy link</source>
      <translation>Link kopieren</translation>
    </message>
    <message>
      <source>Copy the link or an invitation</source>
      <translation>Link oder Einladung kopieren</translation>
    </message>
    <message>
      <source>Could not join</source>
      <translation>Teilnahme nicht möglich</translation>
    </message>
    <message>
      <source>Create a room name that is hard to guess</source>
      <translation>Einen schwer zu erratenden Raumnamen erzeugen</translation>
    </message>
    <message>
      <source>Decline</source>
      <translation>Ablehnen</translation>
    </message>
    <message>
      <source>Did you hear two soft tones? If not, check the volume and the speaker in the settings.</source>
      <translation>Haben Sie zwei sanfte Töne gehört? Falls nicht, prüfen Sie die Lautstärke und den Lautsprecher in den Einstellungen.</translation>
    </message>
    <message>
      <source>Do you want to leave the meeting? You can join again with the same link.</source>
      <translation>Möchten Sie die Besprechung verlassen? Mit demselben Link können Sie jederzeit wieder teilnehmen.</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>Fertig</translation>
    </message>
    <message>
      <source>Enter the address your town gave you, for example konferenz.example.de.</source>
      <translation>Geben Sie die Adresse ein, die Ihre Stadt Ihnen genannt hat, zum Beispiel konferenz.example.de.</translation>
    </message>
    <message>
      <source>Enter your name on the previous page, then try again.</source>
      <translation>Geben Sie auf der vorherigen Seite Ihren Namen ein und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
      <source>Everyone</source>
      <translation>Alle</translation>
    </message>
    <message>
      <source>Everyone who joins from now on must enter this password. Send it to your guests separately from the link.</source>
      <translation>Wer ab jetzt teilnehmen möchte, muss dieses Passwort eingeben. Schicken Sie es Ihren Gästen getrennt vom Link.</translation>
    </message>
    <message>
      <source>for example: Familie-Berg-Sonntag or a link</source>
      <translation>zum Beispiel: Familie-Berg-Sonntag oder ein Link</translation>
    </message>
    <message>
      <source>Guest</source>
      <translation>Gast</translation>
    </message>
    <message>
      <source>hand raised</source>
      <translation>Hand gehoben</translation>
    </message>
    <message>
      <source>How others will see you</source>
      <translation>So sehen die anderen Sie</translation>
    </message>
    <message>
      <source>I have the password</source>
      <translation>Ich habe das Passwort</translation>
    </message>
    <message>
      <source>I understand and want to open the room on this server</source>
      <translation>Ich habe verstanden und möchte den Raum auf diesem Server öffnen</translation>
    </message>
    <message>
      <source>If you were given the room password, you can enter it instead.</source>
      <translation>Wenn Sie das Raum-Passwort erhalten haben, können Sie es stattdessen eingeben.</translation>
    </message>
    <message>
      <source>Invitation text</source>
      <translation>Einladungstext</translation>
    </message>
    <message>
      <source>Invite</source>
      <translation>Einladen</translation>
    </message>
    <message>
      <source>Invite others</source>
      <translation>Andere einladen</translation>
    </message>
    <message>
      <source>Its meeting domain is {domain}.</source>
      <translation>Seine Konferenz-Domäne ist {domain}.</translation>
    </message>
    <message>
      <source>Join</source>
      <translation>Teilnehmen</translation>
    </message>
    <message>
      <source>Join a meeting</source>
      <translation>An einer Besprechung teilnehmen</translation>
    </message>
    <message>
      <source>Join meeting</source>
      <translation>Teilnehmen</translation>
    </message>
    <message>
      <source>Join with &amp;audio only (saves data)</source>
      <translation>Nur mit &amp;Ton teilnehmen (spart Daten)</translation>
    </message>
    <message>
      <source>Keyboard shortcuts</source>
      <translation>Tastenkürzel</translation>
    </message>
    <message>
      <source>Keyboard shortcuts (?)</source>
      <translation>Tastenkürzel (?)</translation>
    </message>
    <message>
      <source>Language</source>
      <translation>Sprache</translation>
    </message>
    <message>
      <source>Leave</source>
      <translation>Verlassen</translation>
    </message>
    <message>
      <source>Leave the meeting</source>
      <translation>Besprechung verlassen</translation>
    </message>
    <message>
      <source>Leave the meeting?</source>
      <translation>Besprechung verlassen?</translation>
    </message>
    <message>
      <source>Let in</source>
      <translation>Hereinlassen</translation>
    </message>
    <message>
      <source>Link copied.</source>
      <translation>Link kopiert.</translation>
    </message>
    <message>
      <source>Lock room</source>
      <translation>Raum abschließen</translation>
    </message>
    <message>
      <source>Lock the room</source>
      <translation>Raum abschließen</translation>
    </message>
    <message>
      <source>Lock with password…</source>
      <translation>Mit Passwort abschließen …</translation>
    </message>
    <message>
      <source>locked with a password</source>
      <translation>mit Passwort geschützt</translation>
    </message>
    <message>
      <source>Looking for devices…</source>
      <translation>Geräte werden gesucht …</translation>
    </message>
    <message>
      <source>Meeting</source>
      <translation>Besprechung</translation>
    </message>
    <message>
      <source>Meeting &amp;link:</source>
      <translation>&amp;Link zur Besprechung:</translation>
    </message>
    <message>
      <source>Meeting link</source>
      <translation>Link zur Besprechung</translation>
    </message>
    <message>
      <source>Meeting service not available</source>
      <translation>Besprechungsdienst nicht verfügbar</translation>
    </message>
    <message>
      <source>Members only</source>
      <translation>Nur für Mitglieder</translation>
    </message>
    <message>
      <source>Message</source>
      <translation>Nachricht</translation>
    </message>
    <message>
      <source>Microphone</source>
      <translation>Mikrofon</translation>
    </message>
    <message>
      <source>Microphone level</source>
      <translation>Mikrofonpegel</translation>
    </message>
    <message>
      <source>Microphone level – speak to test:</source>
      <translation>Mikrofonpegel – sprechen Sie zum Testen:</translation>
    </message>
    <message>
      <source>Microphone level:</source>
      <translation>Mikrofonpegel:</translation>
    </message>
    <message>
      <source>microphone off</source>
      <translation>Mikrofon aus</translation>
    </message>
    <message>
      <source>Microphone off</source>
      <translation>Mikrofon aus</translation>
    </message>
    <message>
      <source>Microphone on</source>
      <translation>Mikrofon an</translation>
    </message>
    <message>
      <source>Microphone:</source>
      <translation>Mikrofon:</translation>
    </message>
    <message>
      <source>Microphone: it is in use or cannot be opened. Check again after closing other programs.</source>
      <translation>Mikrofon: Es wird verwendet oder lässt sich nicht öffnen. Prüfen Sie erneut, nachdem Sie andere Programme geschlossen haben.</translation>
    </message>
    <message>
      <source>Microphone: none found. Others will not hear you.</source>
      <translation>Mikrofon: keines gefunden. Die anderen werden Sie nicht hören.</translation>
    </message>
    <message>
      <source>Microphone: {name}</source>
      <translation>Mikrofon: {name}</translation>
    </message>
    <message>
      <source>moderator</source>
      <translation>Moderation</translation>
    </message>
    <message>
      <source>Name needed</source>
      <translation>Name erforderlich</translation>
    </message>
    <message>
      <source>New room password</source>
      <translation>Neues Raum-Passwort</translation>
    </message>
    <message>
      <source>Next</source>
      <translation>Weiter</translation>
    </message>
    <message>
      <source>Next page</source>
      <translation>Nächste Seite</translation>
    </message>
    <message>
      <source>No access to camera or microphone</source>
      <translation>Kein Zugriff auf Kamera oder Mikrofon</translation>
    </message>
    <message>
      <source>No media connection</source>
      <translation>Keine Audio- und Videoverbindung</translation>
    </message>
    <message>
      <source>No server chosen yet. Paste a full meeting link, or choose your town's server.</source>
      <translation>Noch kein Server gewählt. Fügen Sie einen vollständigen Besprechungslink ein oder wählen Sie den Server Ihrer Stadt.</translation>
    </message>
    <message>
      <source>No speaker could be used for the test sound.</source>
      <translation>Für den Testton konnte kein Lautsprecher verwendet werden.</translation>
    </message>
    <message>
      <source>Not a meeting server</source>
      <translation>Kein Besprechungsserver</translation>
    </message>
    <message>
      <source>Only moderators can let people in, lock the room or remove participants.</source>
      <translation>Nur die Moderation kann Personen hereinlassen, den Raum abschließen oder Teilnehmende entfernen.</translation>
    </message>
    <message>
      <source>Only people with an account on this server can join. Ask the organiser, or sign in as host.</source>
      <translation>Nur Personen mit einem Konto auf diesem Server können teilnehmen. Fragen Sie die Organisatorin bzw. den Organisator oder melden Sie sich als Gastgeber an.</translation>
    </message>
    <message>
      <source>Open settings</source>
      <translation>Einstellungen öffnen</translation>
    </message>
    <message>
      <source>Others see this name. Leave it empty to appear as a guest.</source>
      <translation>Die anderen sehen diesen Namen. Lassen Sie das Feld leer, um als Gast zu erscheinen.</translation>
    </message>
    <message>
      <source>Page {page} of {pages}</source>
      <translation>Seite {page} von {pages}</translation>
    </message>
    <message>
      <source>Participants</source>
      <translation>Teilnehmende</translation>
    </message>
    <message>
      <source>Participants ({count})</source>
      <translation>Teilnehmende ({count})</translation>
    </message>
    <message>
      <source>Pass&amp;word:</source>
      <translation>Pass&amp;wort:</translation>
    </message>
    <message>
      <source>Password</source>
      <translation>Passwort</translation>
    </message>
    <message>
      <source>Password needed</source>
      <translation>Passwort erforderlich</translation>
    </message>
    <message>
      <source>Password required</source>
      <translation>Passwort erforderlich</translation>
    </message>
    <message>
      <source>People</source>
      <translation>Personen</translation>
    </message>
    <message>
      <source>People ({count} waiting)</source>
      <translation>Personen ({count} warten)</translation>
    </message>
    <message>
      <source>People knock and wait until a moderator lets them in.</source>
      <translation>Wer teilnehmen möchte, klopft an und wartet, bis die Moderation ihn hereinlässt.</translation>
    </message>
    <message>
      <source>People waiting in the lobby</source>
      <translation>Personen im Warteraum</translation>
    </message>
    <message>
      <source>Play test sound</source>
      <translation>Testton abspielen</translation>
    </message>
    <message>
      <source>Playing a test sound… Can you hear it?</source>
      <translation>Ein Testton wird abgespielt … Hören Sie ihn?</translation>
    </message>
    <message>
      <source>Please try again, and report this if it happens again.</source>
      <translation>Bitte versuchen Sie es erneut und melden Sie es, falls es wieder passiert.</translation>
    </message>
    <message>
      <source>Please try again. If it keeps happening, restart Treffpunkt.</source>
      <translation>Bitte versuchen Sie es erneut. Wenn es wieder passiert, starten Sie Treffpunkt neu.</translation>
    </message>
    <message>
      <source>Press Enter to show this person large.</source>
      <translation>Drücken Sie die Eingabetaste, um diese Person groß anzuzeigen.</translation>
    </message>
    <message>
      <source>Previous or next page of tiles</source>
      <translation>Vorherige oder nächste Seite der Kacheln</translation>
    </message>
    <message>
      <source>Previous page</source>
      <translation>Vorherige Seite</translation>
    </message>
    <message>
      <source>R&amp;ecent rooms</source>
      <translation>&amp;Zuletzt besuchte Räume</translation>
    </message>
    <message>
      <source>Reason: {reason}</source>
      <translation>Grund: {reason}</translation>
    </message>
    <message>
      <source>Recent rooms</source>
      <translation>Zuletzt besuchte Räume</translation>
    </message>
    <message>
      <source>Reconnect it, or choose another one in the settings.</source>
      <translation>Schließen Sie es wieder an oder wählen Sie in den Einstellungen ein anderes.</translation>
    </message>
    <message>
      <source>Remember my decision and do not ask again</source>
      <translation>Entscheidung merken und nicht erneut fragen</translation>
    </message>
    <message>
      <source>Remember recent rooms on this computer</source>
      <translation>Zuletzt besuchte Räume auf diesem Computer merken</translation>
    </message>
    <message>
      <source>Remember this login in the system keyring</source>
      <translation>Anmeldung im Schlüsselbund des Systems speichern</translation>
    </message>
    <message>
      <source>Remove</source>
      <translation>Entfernen</translation>
    </message>
    <message>
      <source>Remove from meeting</source>
      <translation>Aus der Besprechung entfernen</translation>
    </message>
    <message>
      <source>Remove password</source>
      <translation>Passwort entfernen</translation>
    </message>
    <message>
      <source>Remove the selected room from the list</source>
      <translation>Den ausgewählten Raum aus der Liste entfernen</translation>
    </message>
    <message>
      <source>Removes your name, recent rooms and all settings from this computer.</source>
      <translation>Entfernt Ihren Namen, die zuletzt besuchten Räume und alle Einstellungen von diesem Computer.</translation>
    </message>
    <message>
      <source>Room</source>
      <translation>Raum</translation>
    </message>
    <message>
      <source>Room &lt;b&gt;{room}&lt;/b&gt; on &lt;b&gt;{server}&lt;/b&gt;</source>
      <translation>Raum &lt;b&gt;{room}&lt;/b&gt; auf &lt;b&gt;{server}&lt;/b&gt;</translation>
    </message>
    <message>
      <source>Room name or link</source>
      <translation>Raumname oder Link</translation>
    </message>
    <message>
      <source>Room not recognised</source>
      <translation>Raum nicht erkannt</translation>
    </message>
    <message>
      <source>Room password</source>
      <translation>Raum-Passwort</translation>
    </message>
    <message>
      <source>Same as the system</source>
      <translation>Wie im System</translation>
    </message>
    <message>
      <source>Send</source>
      <translation>Senden</translation>
    </message>
    <message>
      <source>Send to</source>
      <translation>Senden an</translation>
    </message>
    <message>
      <source>Server</source>
      <translation>Server</translation>
    </message>
    <message>
      <source>Server not reachable</source>
      <translation>Server nicht erreichbar</translation>
    </message>
    <message>
      <source>Server problem</source>
      <translation>Problem mit dem Server</translation>
    </message>
    <message>
      <source>Server settings unreadable</source>
      <translation>Servereinstellungen nicht lesbar</translation>
    </message>
    <message>
      <source>Set by your administrator.</source>
      <translation>Von Ihrer Administration festgelegt.</translation>
    </message>
    <message>
      <source>Settings</source>
      <translation>Einstellungen</translation>
    </message>
    <message>
      <source>Settings problem</source>
      <translation>Problem mit den Einstellungen</translation>
    </message>
    <message>
      <source>Shortcuts</source>
      <translation>Tastenkürzel</translation>
    </message>
    <message>
      <source>Show or hide the chat</source>
      <translation>Chat ein- oder ausblenden</translation>
    </message>
    <message>
      <source>Show or hide the chat (C)</source>
      <translation>Chat ein- oder ausblenden (C)</translation>
    </message>
    <message>
      <source>Show or hide the participants</source>
      <translation>Teilnehmerliste ein- oder ausblenden</translation>
    </message>
    <message>
      <source>Show or hide the participants (P)</source>
      <translation>Teilnehmende ein- oder ausblenden (P)</translation>
    </message>
    <message>
      <source>Show password</source>
      <translation>Passwort anzeigen</translation>
    </message>
    <message>
      <source>Show this list</source>
      <translation>Diese Liste anzeigen</translation>
    </message>
    <message>
      <source>Shown to the others in a meeting.</source>
      <translation>Wird den anderen in einer Besprechung angezeigt.</translation>
    </message>
    <message>
      <source>Sign in</source>
      <translation>Anmelden</translation>
    </message>
    <message>
      <source>Sign in as host</source>
      <translation>Als Gastgeber anmelden</translation>
    </message>
    <message>
      <source>Sign in to join</source>
      <translation>Zum Teilnehmen anmelden</translation>
    </message>
    <message>
      <source>Sign-in failed</source>
      <translation>Anmeldung fehlgeschlagen</translation>
    </message>
    <message>
      <source>Sign-in needed</source>
      <translation>Anmeldung erforderlich</translation>
    </message>
    <message>
      <source>Something went wrong</source>
      <translation>Etwas ist schiefgegangen</translation>
    </message>
    <message>
      <source>Speaker</source>
      <translation>Lautsprecher</translation>
    </message>
    <message>
      <source>Speaker:</source>
      <translation>Lautsprecher:</translation>
    </message>
    <message>
      <source>Speaker: it cannot be opened.</source>
      <translation>Lautsprecher: Er lässt sich nicht öffnen.</translation>
    </message>
    <message>
      <source>Speaker: none found. You will not hear the others.</source>
      <translation>Lautsprecher: keiner gefunden. Sie werden die anderen nicht hören.</translation>
    </message>
    <message>
      <source>Speaker: {name}</source>
      <translation>Lautsprecher: {name}</translation>
    </message>
    <message>
      <source>Start with the camera off</source>
      <translation>Mit ausgeschalteter Kamera beginnen</translation>
    </message>
    <message>
      <source>Start with the microphone off</source>
      <translation>Mit ausgeschaltetem Mikrofon beginnen</translation>
    </message>
    <message>
      <source>Stay</source>
      <translation>Bleiben</translation>
    </message>
    <message>
      <source>Suggest a name</source>
      <translation>Namen vorschlagen</translation>
    </message>
    <message>
      <source>System default</source>
      <translation>Systemstandard</translation>
    </message>
    <message>
      <source>That password was not correct. Please check it and try again.</source>
      <translation>Das Passwort war nicht richtig. Bitte prüfen Sie es und versuchen Sie es erneut.</translation>
    </message>
    <message>
      <source>The connection to the server was lost.</source>
      <translation>Die Verbindung zum Server ist abgebrochen.</translation>
    </message>
    <message>
      <source>The connection was interrupted. Reconnecting… (attempt {n})</source>
      <translation>Die Verbindung wurde unterbrochen. Neuer Verbindungsversuch … (Versuch {n})</translation>
    </message>
    <message>
      <source>The invitation has been copied. Paste it into an e-mail or message.</source>
      <translation>Die Einladung wurde kopiert. Fügen Sie sie in eine E-Mail oder Nachricht ein.</translation>
    </message>
    <message>
      <source>The link has been copied.</source>
      <translation>Der Link wurde kopiert.</translation>
    </message>
    <message>
      <source>The link used an unencrypted address (http). Treffpunkt connects with encryption (https) instead.</source>
      <translation>Der Link verwendet eine unverschlüsselte Adresse (http). Treffpunkt verbindet sich stattdessen verschlüsselt (https).</translation>
    </message>
    <message>
      <source>The meeting has ended</source>
      <translation>Die Besprechung ist beendet</translation>
    </message>
    <message>
      <source>The meeting is full</source>
      <translation>Die Besprechung ist voll</translation>
    </message>
    <message>
      <source>The meeting was ended for everyone.</source>
      <translation>Die Besprechung wurde für alle beendet.</translation>
    </message>
    <message>
      <source>The meeting “{room}” has not started yet. You will join automatically as soon as the host arrives.</source>
      <translation>Die Besprechung „{room}“ hat noch nicht begonnen. Sie nehmen automatisch teil, sobald der Gastgeber da ist.</translation>
    </message>
    <message>
      <source>The meeting “{room}” is locked with a password. Please enter the password you were given.</source>
      <translation>Die Besprechung „{room}“ ist mit einem Passwort geschützt. Bitte geben Sie das Passwort ein, das Sie erhalten haben.</translation>
    </message>
    <message>
      <source>The meeting “{room}” only admits people who sign in with their account on this server.</source>
      <translation>Die Besprechung „{room}“ lässt nur Personen herein, die sich mit ihrem Konto auf diesem Server anmelden.</translation>
    </message>
    <message>
      <source>The room is locked with a password.</source>
      <translation>Der Raum ist mit einem Passwort geschützt.</translation>
    </message>
    <message>
      <source>The server answered in a way Treffpunkt does not expect. Try again; if it persists, the server may be newer than this app.</source>
      <translation>Der Server hat anders geantwortet, als Treffpunkt es erwartet. Versuchen Sie es erneut; wenn das Problem bleibt, ist der Server vielleicht neuer als diese App.</translation>
    </message>
    <message>
      <source>The server is running but its meeting service does not answer. Try again in a few minutes.</source>
      <translation>Der Server läuft, aber sein Besprechungsdienst antwortet nicht. Versuchen Sie es in ein paar Minuten erneut.</translation>
    </message>
    <message>
      <source>The server is slow</source>
      <translation>Der Server antwortet langsam</translation>
    </message>
    <message>
      <source>The server points elsewhere</source>
      <translation>Der Server verweist woandershin</translation>
    </message>
    <message>
      <source>The server sent settings Treffpunkt cannot use. Try again later or tell the server's operator.</source>
      <translation>Der Server hat Einstellungen gesendet, die Treffpunkt nicht verwenden kann. Versuchen Sie es später erneut oder informieren Sie den Betreiber des Servers.</translation>
    </message>
    <message>
      <source>The user name or password was not correct. Please try again.</source>
      <translation>Benutzername oder Passwort waren nicht richtig. Bitte versuchen Sie es erneut.</translation>
    </message>
    <message>
      <source>This meeting asks everyone for a name. The others will see it.</source>
      <translation>Für diese Besprechung braucht jede Person einen Namen. Die anderen sehen ihn.</translation>
    </message>
    <message>
      <source>This meeting requires a name.</source>
      <translation>Für diese Besprechung ist ein Name erforderlich.</translation>
    </message>
    <message>
      <source>This room only admits invited members. Ask the organiser.</source>
      <translation>Dieser Raum lässt nur eingeladene Mitglieder herein. Fragen Sie die Organisatorin bzw. den Organisator.</translation>
    </message>
    <message>
      <source>Tip: “Suggest a name” creates one that is hard to guess.</source>
      <translation>Tipp: „Namen vorschlagen“ erzeugt einen Namen, der schwer zu erraten ist.</translation>
    </message>
    <message>
      <source>Treffpunkt did not connect, to protect you. Check the server address. If your town uses its own certificate, your administrator can add it.</source>
      <translation>Zu Ihrem Schutz hat Treffpunkt keine Verbindung hergestellt. Prüfen Sie die Serveradresse. Wenn Ihre Stadt ein eigenes Zertifikat verwendet, kann Ihre Administration es hinzufügen.</translation>
    </message>
    <message>
      <source>Treffpunkt does not know the server {host}. Only continue if you trust whoever sent you this link.</source>
      <translation>Treffpunkt kennt den Server {host} nicht. Fahren Sie nur fort, wenn Sie der Person vertrauen, die Ihnen den Link geschickt hat.</translation>
    </message>
    <message>
      <source>Treffpunkt made a mistake</source>
      <translation>Treffpunkt hat einen Fehler gemacht</translation>
    </message>
    <message>
      <source>Treffpunkt may not use the camera or microphone. Allow it in your system settings (Privacy → Camera / Microphone), then press “Check again”.</source>
      <translation>Treffpunkt darf Kamera oder Mikrofon nicht verwenden. Erlauben Sie es in den Systemeinstellungen (Datenschutz → Kamera / Mikrofon) und klicken Sie dann auf „Erneut prüfen“.</translation>
    </message>
    <message>
      <source>Treffpunkt sends nothing to anyone else: no statistics, no avatars, no other servers.</source>
      <translation>Treffpunkt sendet nichts an andere: keine Statistiken, keine Profilbilder, keine anderen Server.</translation>
    </message>
    <message>
      <source>Try again</source>
      <translation>Erneut versuchen</translation>
    </message>
    <message>
      <source>Try again in a moment, or check the room name.</source>
      <translation>Versuchen Sie es gleich noch einmal oder prüfen Sie den Raumnamen.</translation>
    </message>
    <message>
      <source>Try again in a moment.</source>
      <translation>Versuchen Sie es gleich noch einmal.</translation>
    </message>
    <message>
      <source>Try again in a moment. If it keeps happening, the server may be overloaded.</source>
      <translation>Versuchen Sie es gleich noch einmal. Wenn es wieder passiert, ist der Server vielleicht überlastet.</translation>
    </message>
    <message>
      <source>Try again later, or ask the organiser to make room.</source>
      <translation>Versuchen Sie es später erneut oder bitten Sie die Organisatorin bzw. den Organisator, Platz zu schaffen.</translation>
    </message>
    <message>
      <source>Turn the camera off (V)</source>
      <translation>Kamera ausschalten (V)</translation>
    </message>
    <message>
      <source>Turn the camera on (V)</source>
      <translation>Kamera einschalten (V)</translation>
    </message>
    <message>
      <source>Turn the camera on or off</source>
      <translation>Kamera ein- oder ausschalten</translation>
    </message>
    <message>
      <source>Turn the microphone off (M)</source>
      <translation>Mikrofon ausschalten (M)</translation>
    </message>
    <message>
      <source>Turn the microphone on (M)</source>
      <translation>Mikrofon einschalten (M)</translation>
    </message>
    <message>
      <source>Turn the microphone on or off</source>
      <translation>Mikrofon ein- oder ausschalten</translation>
    </message>
    <message>
      <source>Type a room name, or paste the complete meeting link you received.</source>
      <translation>Geben Sie einen Raumnamen ein oder fügen Sie den vollständigen Besprechungslink ein, den Sie erhalten haben.</translation>
    </message>
    <message>
      <source>Type the room name you were given, or paste the whole meeting link.</source>
      <translation>Geben Sie den Raumnamen ein, den Sie erhalten haben, oder fügen Sie den ganzen Besprechungslink ein.</translation>
    </message>
    <message>
      <source>Use a lobby</source>
      <translation>Warteraum verwenden</translation>
    </message>
    <message>
      <source>Use the server's https address.</source>
      <translation>Verwenden Sie die https-Adresse des Servers.</translation>
    </message>
    <message>
      <source>User name</source>
      <translation>Benutzername</translation>
    </message>
    <message>
      <source>Video tiles</source>
      <translation>Videokacheln</translation>
    </message>
    <message>
      <source>Waiting for the host</source>
      <translation>Warten auf den Gastgeber</translation>
    </message>
    <message>
      <source>Waiting in the lobby ({count})</source>
      <translation>Im Warteraum ({count})</translation>
    </message>
    <message>
      <source>Waiting to be let in</source>
      <translation>Warten auf Einlass</translation>
    </message>
    <message>
      <source>Welcome to Treffpunkt</source>
      <translation>Willkommen bei Treffpunkt</translation>
    </message>
    <message>
      <source>Where room names without a full link are opened.</source>
      <translation>Hier werden Raumnamen ohne vollständigen Link geöffnet.</translation>
    </message>
    <message>
      <source>Which town's video meeting server do you want to use? Treffpunkt only connects to the server you choose here. You can change it later in the settings.</source>
      <translation>Welchen Videokonferenz-Server Ihrer Stadt möchten Sie nutzen? Treffpunkt verbindet sich nur mit dem Server, den Sie hier wählen. Sie können ihn später in den Einstellungen ändern.</translation>
    </message>
    <message>
      <source>Write a message…</source>
      <translation>Nachricht schreiben …</translation>
    </message>
    <message>
      <source>Wrong password</source>
      <translation>Falsches Passwort</translation>
    </message>
    <message>
      <source>Yes, clear everything</source>
      <translation>Ja, alles löschen</translation>
    </message>
    <message>
      <source>You</source>
      <translation>Sie</translation>
    </message>
    <message>
      <source>You are invited to a video meeting.</source>
      <translation>Sie sind zu einer Videokonferenz eingeladen.</translation>
    </message>
    <message>
      <source>You are not allowed to join this meeting. Ask the organiser.</source>
      <translation>Sie dürfen an dieser Besprechung nicht teilnehmen. Fragen Sie die Organisatorin bzw. den Organisator.</translation>
    </message>
    <message>
      <source>You can ask the organiser and knock again.</source>
      <translation>Sie können die Organisatorin bzw. den Organisator fragen und erneut anklopfen.</translation>
    </message>
    <message>
      <source>You can contact the organiser if you think this was a mistake.</source>
      <translation>Wenden Sie sich an die Organisatorin bzw. den Organisator, wenn Sie das für einen Irrtum halten.</translation>
    </message>
    <message>
      <source>You cannot join this meeting. Ask the organiser if this is a mistake.</source>
      <translation>Sie können an dieser Besprechung nicht teilnehmen. Fragen Sie die Organisatorin bzw. den Organisator, falls das ein Irrtum ist.</translation>
    </message>
    <message>
      <source>You have asked to join “{room}”. Someone in the meeting will let you in shortly. Please wait.</source>
      <translation>Sie haben um Einlass in „{room}“ gebeten. Jemand aus der Besprechung lässt Sie gleich herein. Bitte warten Sie.</translation>
    </message>
    <message>
      <source>You to {name} (private)</source>
      <translation>Sie an {name} (privat)</translation>
    </message>
    <message>
      <source>You were not let in</source>
      <translation>Sie wurden nicht hereingelassen</translation>
    </message>
    <message>
      <source>You were removed</source>
      <translation>Sie wurden entfernt</translation>
    </message>
    <message>
      <source>Your &amp;name:</source>
      <translation>Ihr &amp;Name:</translation>
    </message>
    <message>
      <source>Your administrator does not allow meetings on public servers such as {host}.</source>
      <translation>Ihre Administration erlaubt keine Besprechungen auf öffentlichen Servern wie {host}.</translation>
    </message>
    <message>
      <source>Your camera</source>
      <translation>Ihre Kamera</translation>
    </message>
    <message>
      <source>Your message could not be sent.</source>
      <translation>Ihre Nachricht konnte nicht gesendet werden.</translation>
    </message>
    <message>
      <source>Your name</source>
      <translation>Ihr Name</translation>
    </message>
    <message>
      <source>Your network blocks the audio and video connection. Try another network, or ask the server's operator about a relay (TURN) server.</source>
      <translation>Ihr Netzwerk blockiert die Audio- und Videoverbindung. Versuchen Sie ein anderes Netzwerk oder fragen Sie den Betreiber des Servers nach einem Relay-Server (TURN).</translation>
    </message>
    <message>
      <source>Your server: {host}</source>
      <translation>Ihr Server: {host}</translation>
    </message>
    <message>
      <source>Your server: {name} ({host})</source>
      <translation>Ihr Server: {name} ({host})</translation>
    </message>
    <message>
      <source>Your settings could not be changed. Try again, or check the folder where Treffpunkt keeps its settings.</source>
      <translation>Ihre Einstellungen konnten nicht geändert werden. Versuchen Sie es erneut oder prüfen Sie den Ordner, in dem Treffpunkt seine Einstellungen speichert.</translation>
    </message>
    <message>
      <source>{host} is a public server run by a company, not by your town. Your town's privacy promises do not apply there.</source>
      <translation>{host} ist ein öffentlicher Server einer Firma, nicht Ihrer Stadt. Die Datenschutzzusagen Ihrer Stadt gelten dort nicht.</translation>
    </message>
    <message>
      <source>{name} (not connected)</source>
      <translation>{name} (nicht angeschlossen)</translation>
    </message>
    <message>
      <source>{name} (private)</source>
      <translation>{name} (privat)</translation>
    </message>
    <message>
      <source>{name} (you)</source>
      <translation>{name} (Sie)</translation>
    </message>
    <message>
      <source>{name} is waiting in the lobby.</source>
      <translation>{name} wartet im Warteraum.</translation>
    </message>
    <message>
      <source>{name} removed you from the meeting.</source>
      <translation>{name} hat Sie aus der Besprechung entfernt.</translation>
    </message>
    <message>
      <source>{percent} percent</source>
      <translation>{percent} Prozent</translation>
    </message>
    <message>
      <source>{room} on {server}</source>
      <translation>{room} auf {server}</translation>
    </message>
    <message>
      <source>{town}: {service} ({host})</source>
      <translation>{town}: {service} ({host})</translation>
    </message>
    <message>
      <source>{url} is a Jitsi Meet server and can be used.</source>
      <translation>{url} ist ein Jitsi-Meet-Server und kann verwendet werden.</translation>
    </message>
    <message>
      <source>Your administrator has fixed the server setting; it cannot be changed here.</source>
      <translation>Ihre Administration hat den Server festgelegt; er kann hier nicht geändert werden.</translation>
    </message>
    <message>
      <source>No server has been set. Paste a full meeting link.</source>
      <translation>Es ist kein Server festgelegt. Fügen Sie einen vollständigen Besprechungslink ein.</translation>
    </message>
  </context>
</TS>
