<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
  <context>
    <name>Treffpunkt</name>
    <message>
      <source>Enter a room name or paste a meeting link.</source>
      <translation>Geben Sie einen Raumnamen ein oder fügen Sie einen Konferenz-Link ein.</translation>
    </message>
    <message>
      <source>The text is too long to be a meeting link (more than {limit} characters).</source>
      <translation>Der Text ist zu lang für einen Konferenz-Link (mehr als {limit} Zeichen).</translation>
    </message>
    <message>
      <source>This address leads to the server {host} but names no room. Add the room name, for example {host}/YourRoom.</source>
      <translation>Diese Adresse führt zum Server {host}, nennt aber keinen Raum. Ergänzen Sie den Raumnamen, zum Beispiel {host}/IhrRaum.</translation>
    </message>
    <message>
      <source>“{room}” is a room name, but no server has been chosen yet. Choose your town's server first, or paste the full meeting link.</source>
      <translation>„{room}“ ist ein Raumname, aber es ist noch kein Server ausgewählt. Wählen Sie zuerst den Server Ihrer Stadt oder Gemeinde aus, oder fügen Sie den vollständigen Konferenz-Link ein.</translation>
    </message>
    <message>
      <source>Links starting with “{scheme}:” are not meeting links. Paste a link that starts with https://.</source>
      <translation>Links, die mit „{scheme}:“ beginnen, sind keine Konferenz-Links. Fügen Sie einen Link ein, der mit https:// beginnt.</translation>
    </message>
    <message>
      <source>“{host}” is not a valid server address.</source>
      <translation>„{host}“ ist keine gültige Serveradresse.</translation>
    </message>
    <message>
      <source>The port “{port}” in the address is not valid.</source>
      <translation>Der Port „{port}“ in der Adresse ist ungültig.</translation>
    </message>
    <message>
      <source>The part “{tenant}” of the address is not valid: it must not start or end with “-” and must be at most 63 characters long.</source>
      <translation>Der Teil „{tenant}“ der Adresse ist ungültig: Er darf nicht mit „-“ beginnen oder enden und höchstens 63 Zeichen lang sein.</translation>
    </message>
    <message>
      <source>“{room}” cannot be used as a room name: nothing is left after removing the characters that room names must not contain.</source>
      <translation>„{room}“ kann nicht als Raumname verwendet werden: Ohne die Zeichen, die in Raumnamen nicht vorkommen dürfen, bleibt nichts übrig.</translation>
    </message>
    <message>
      <source>The room name is too long. Please choose a shorter one.</source>
      <translation>Der Raumname ist zu lang. Bitte wählen Sie einen kürzeren.</translation>
    </message>
    <message>
      <source>No meeting link was found in the pasted text.</source>
      <translation>Im eingefügten Text wurde kein Konferenz-Link gefunden.</translation>
    </message>
    <message>
      <source>“{url}” is not a valid server address. Enter it like https://konferenz.example.de.</source>
      <translation>„{url}“ ist keine gültige Serveradresse. Geben Sie sie in der Form https://konferenz.example.de ein.</translation>
    </message>
    <message>
      <source>The room name is short, so others could find the room by trying names.</source>
      <translation>Der Raumname ist kurz. Andere könnten den Raum durch Ausprobieren finden.</translation>
    </message>
    <message>
      <source>The room name is made of common words, so others could find the room by trying names.</source>
      <translation>Der Raumname besteht aus gebräuchlichen Wörtern. Andere könnten den Raum durch Ausprobieren finden.</translation>
    </message>
    <message>
      <source>The room name consists of digits only, so others could find the room by trying numbers.</source>
      <translation>Der Raumname besteht nur aus Ziffern. Andere könnten den Raum durch Ausprobieren von Zahlen finden.</translation>
    </message>
    <message>
      <source>The room name is easy to guess. A longer name with unusual words and some digits is safer.</source>
      <translation>Der Raumname ist leicht zu erraten. Ein längerer Name mit ungewöhnlichen Wörtern und einigen Ziffern ist sicherer.</translation>
    </message>
    <message>
      <source>Upper and lower case do not matter: “{room}” and “{lower}” are the same room.</source>
      <translation>Groß- und Kleinschreibung spielen keine Rolle: „{room}“ und „{lower}“ sind derselbe Raum.</translation>
    </message>
    <message>
      <source>The room name contains umlauts or other special letters. Some apps write them differently; a name without them is easier to share.</source>
      <translation>Der Raumname enthält Umlaute oder andere Sonderzeichen. Manche Apps schreiben diese anders; ein Name ohne sie lässt sich leichter weitergeben.</translation>
    </message>
    <message>
      <source>You are invited to a video meeting.</source>
      <translation>Sie sind zu einer Videokonferenz eingeladen.</translation>
    </message>
    <message>
      <source>{name} invites you to a video meeting.</source>
      <translation>{name} lädt Sie zu einer Videokonferenz ein.</translation>
    </message>
    <message>
      <source>You are invited to a video meeting on “{service}”.</source>
      <translation>Sie sind zu einer Videokonferenz bei „{service}“ eingeladen.</translation>
    </message>
    <message>
      <source>{name} invites you to a video meeting on “{service}”.</source>
      <translation>{name} lädt Sie zu einer Videokonferenz bei „{service}“ ein.</translation>
    </message>
    <message>
      <source>Join the meeting in your web browser or in Treffpunkt:</source>
      <translation>Nehmen Sie im Webbrowser oder mit Treffpunkt teil:</translation>
    </message>
    <message>
      <source>Meeting password:</source>
      <translation>Passwort für die Konferenz:</translation>
    </message>
    <message>
      <source>Using the Jitsi Meet app on a phone or tablet? Paste the whole address above, starting with https://, into the app. If you enter only the room name, the app may open an empty room on a different server.</source>
      <translation>Sie nutzen die Jitsi-Meet-App auf dem Smartphone oder Tablet? Fügen Sie dort die vollständige Adresse von oben ein, beginnend mit https://. Wenn Sie nur den Raumnamen eingeben, öffnet die App womöglich einen leeren Raum auf einem anderen Server.</translation>
    </message>
  </context>
</TS>
