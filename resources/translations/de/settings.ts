<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
  <context>
    <name>Treffpunkt</name>
    <message>
      <source>The settings could not be changed.</source>
      <translation>Die Einstellungen konnten nicht geändert werden.</translation>
    </message>
    <message>
      <source>Your settings could not be saved in {path}. Check that the folder exists and that you may write to it.</source>
      <translation>Ihre Einstellungen konnten nicht in {path} gespeichert werden. Bitte prüfen Sie, ob der Ordner existiert und ob Sie darin schreiben dürfen.</translation>
    </message>
    <message>
      <source>The setting “{label}” has been fixed by your administrator and cannot be changed.</source>
      <translation>Die Einstellung „{label}“ wurde von Ihrer Administration festgelegt und kann nicht geändert werden.</translation>
    </message>
    <message>
      <source>This value cannot be used for “{label}”.</source>
      <translation>Dieser Wert ist für „{label}“ nicht möglich.</translation>
    </message>
    <message>
      <source>Default server</source>
      <translation>Standardserver</translation>
    </message>
    <message>
      <source>The server used when you enter only a room name, usually your town's server.</source>
      <translation>Der Server, der verwendet wird, wenn Sie nur einen Raumnamen eingeben – meist der Server Ihrer Stadt oder Gemeinde.</translation>
    </message>
    <message>
      <source>Your name</source>
      <translation>Ihr Name</translation>
    </message>
    <message>
      <source>The name the other participants see.</source>
      <translation>Der Name, den die anderen Teilnehmenden sehen.</translation>
    </message>
    <message>
      <source>Start with the microphone off</source>
      <translation>Mit ausgeschaltetem Mikrofon beginnen</translation>
    </message>
    <message>
      <source>Join meetings with your microphone switched off.</source>
      <translation>Konferenzen mit ausgeschaltetem Mikrofon betreten.</translation>
    </message>
    <message>
      <source>Start with the camera off</source>
      <translation>Mit ausgeschalteter Kamera beginnen</translation>
    </message>
    <message>
      <source>Join meetings with your camera switched off.</source>
      <translation>Konferenzen mit ausgeschalteter Kamera betreten.</translation>
    </message>
    <message>
      <source>Audio only</source>
      <translation>Nur Audio</translation>
    </message>
    <message>
      <source>Neither send nor receive video. This saves data on slow connections.</source>
      <translation>Kein Video senden oder empfangen. Das spart Datenvolumen bei langsamen Verbindungen.</translation>
    </message>
    <message>
      <source>Camera</source>
      <translation>Kamera</translation>
    </message>
    <message>
      <source>The camera to use. If it is missing, the system's default camera is used.</source>
      <translation>Die Kamera, die verwendet werden soll. Fehlt sie, wird die Standardkamera des Systems verwendet.</translation>
    </message>
    <message>
      <source>Microphone</source>
      <translation>Mikrofon</translation>
    </message>
    <message>
      <source>The microphone to use. If it is missing, the system's default microphone is used.</source>
      <translation>Das Mikrofon, das verwendet werden soll. Fehlt es, wird das Standardmikrofon des Systems verwendet.</translation>
    </message>
    <message>
      <source>Speaker</source>
      <translation>Lautsprecher</translation>
    </message>
    <message>
      <source>The speaker or headphones to use. If they are missing, the system's default output is used.</source>
      <translation>Der Lautsprecher oder Kopfhörer, der verwendet werden soll. Fehlt er, wird die Standardausgabe des Systems verwendet.</translation>
    </message>
    <message>
      <source>Language</source>
      <translation>Sprache</translation>
    </message>
    <message>
      <source>The language of Treffpunkt. “System language” follows your computer's setting.</source>
      <translation>Die Sprache von Treffpunkt. „Systemsprache“ richtet sich nach der Einstellung Ihres Computers.</translation>
    </message>
    <message>
      <source>System language</source>
      <translation>Systemsprache</translation>
    </message>
    <message>
      <source>Remember recent rooms</source>
      <translation>Zuletzt besuchte Räume merken</translation>
    </message>
    <message>
      <source>Recent rooms are kept only on this computer and never with passwords.</source>
      <translation>Die zuletzt besuchten Räume werden nur auf diesem Computer gespeichert und niemals mit Passwörtern.</translation>
    </message>
    <message>
      <source>Recent rooms</source>
      <translation>Zuletzt besuchte Räume</translation>
    </message>
    <message>
      <source>Rooms you joined recently, newest first (at most 30).</source>
      <translation>Räume, die Sie kürzlich besucht haben, die neuesten zuerst (höchstens 30).</translation>
    </message>
    <message>
      <source>Additional trusted certificate authority</source>
      <translation>Zusätzliche vertrauenswürdige Zertifizierungsstelle</translation>
    </message>
    <message>
      <source>A certificate file (PEM) to trust in addition to the system's, for example your town's own certificate authority.</source>
      <translation>Eine Zertifikatsdatei (PEM), der zusätzlich zu denen des Systems vertraut wird, zum Beispiel die eigene Zertifizierungsstelle Ihrer Stadt.</translation>
    </message>
    <message>
      <source>Address for update checks</source>
      <translation>Adresse für die Suche nach Updates</translation>
    </message>
    <message>
      <source>Treffpunkt looks for updates only at this https address, and not at all if it is empty.</source>
      <translation>Treffpunkt sucht nur unter dieser https-Adresse nach Updates – und gar nicht, wenn sie leer ist.</translation>
    </message>
    <message>
      <source>Your settings file could not be read, so Treffpunkt started with the default settings. The old file was kept as {backup}.</source>
      <translation>Ihre Einstellungsdatei konnte nicht gelesen werden, deshalb wurde Treffpunkt mit den Standardeinstellungen gestartet. Die alte Datei wurde als {backup} aufbewahrt.</translation>
    </message>
    <message>
      <source>Your settings file {path} could not be read, so Treffpunkt started with the default settings. The file was left untouched and changes will not be saved until it is removed.</source>
      <translation>Ihre Einstellungsdatei {path} konnte nicht gelesen werden, deshalb wurde Treffpunkt mit den Standardeinstellungen gestartet. Die Datei bleibt unverändert; Änderungen werden erst gespeichert, wenn sie entfernt wurde.</translation>
    </message>
    <message>
      <source>The setting “{label}” had an invalid value and was reset to its default.</source>
      <translation>Die Einstellung „{label}“ hatte einen ungültigen Wert und wurde auf den Standardwert zurückgesetzt.</translation>
    </message>
    <message>
      <source>{count} entries of “{label}” could not be read and were left out.</source>
      <translation>{count} Einträge in „{label}“ konnten nicht gelesen werden und wurden weggelassen.</translation>
    </message>
    <message>
      <source>The server has been fixed by your administrator; the server given on the command line was not used.</source>
      <translation>Der Server wurde von Ihrer Administration festgelegt; der in der Befehlszeile angegebene Server wurde nicht verwendet.</translation>
    </message>
    <message>
      <source>The system-wide defaults file {path} could not be read and was ignored. Please tell your administrator.</source>
      <translation>Die systemweite Voreinstellungsdatei {path} konnte nicht gelesen werden und wurde ignoriert. Bitte informieren Sie Ihren Administrator oder Ihre Administratorin.</translation>
    </message>
    <message>
      <source>The system-wide defaults file contains an invalid value for “{label}”; it was ignored.</source>
      <translation>Die systemweite Voreinstellungsdatei enthält einen ungültigen Wert für „{label}“; er wurde ignoriert.</translation>
    </message>
  </context>
</TS>
