<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
  <context>
    <name>Treffpunkt</name>
    <message>
      <source>Something went wrong.</source>
      <translation>Etwas ist schiefgegangen.</translation>
    </message>
    <message>
      <source>This is not a room name or a meeting link.</source>
      <translation>Das ist weder ein Raumname noch ein Konferenz-Link.</translation>
    </message>
    <message>
      <source>The server {host} could not be used.</source>
      <translation>Der Server {host} konnte nicht verwendet werden.</translation>
    </message>
    <message>
      <source>The server {host} cannot be reached. Check the address and your internet connection.</source>
      <translation>Der Server {host} ist nicht erreichbar. Bitte prüfen Sie die Adresse und Ihre Internetverbindung.</translation>
    </message>
    <message>
      <source>The security certificate of {host} is not trusted ({reason}). The connection was not made.</source>
      <translation>Dem Sicherheitszertifikat von {host} wird nicht vertraut ({reason}). Die Verbindung wurde nicht hergestellt.</translation>
    </message>
    <message>
      <source>{host} does not look like a Jitsi Meet server.</source>
      <translation>{host} scheint kein Jitsi-Meet-Server zu sein.</translation>
    </message>
    <message>
      <source>The configuration of {host} could not be read ({reason}).</source>
      <translation>Die Konfiguration von {host} konnte nicht gelesen werden ({reason}).</translation>
    </message>
    <message>
      <source>Joining the room failed.</source>
      <translation>Der Beitritt zum Raum ist fehlgeschlagen.</translation>
    </message>
    <message>
      <source>A camera, microphone or speaker problem occurred.</source>
      <translation>Es gab ein Problem mit Kamera, Mikrofon oder Lautsprecher.</translation>
    </message>
    <message>
      <source>The server sent something Treffpunkt does not understand.</source>
      <translation>Der Server hat etwas gesendet, das Treffpunkt nicht versteht.</translation>
    </message>
    <message>
      <source>The server sent something Treffpunkt does not understand ({reason}).</source>
      <translation>Der Server hat etwas gesendet, das Treffpunkt nicht versteht ({reason}).</translation>
    </message>
    <message>
      <source>Treffpunkt made a protocol mistake ({reason}). Please report this.</source>
      <translation>Treffpunkt hat einen Protokollfehler gemacht ({reason}). Bitte melden Sie das.</translation>
    </message>
  </context>
</TS>
