<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
  <context>
    <name>Treffpunkt</name>
    <message>
      <source>The server {host} ended the connection ({condition}).</source>
      <translation>Der Server {host} hat die Verbindung beendet ({condition}).</translation>
    </message>
    <message>
      <source>The server {host} asked Treffpunkt to connect to a different address.</source>
      <translation>Der Server {host} hat Treffpunkt aufgefordert, sich mit einer anderen Adresse zu verbinden.</translation>
    </message>
    <message>
      <source>The connection to {host} was lost.</source>
      <translation>Die Verbindung zu {host} ist abgebrochen.</translation>
    </message>
    <message>
      <source>The server refused a request ({condition}).</source>
      <translation>Der Server hat eine Anfrage abgelehnt ({condition}).</translation>
    </message>
    <message>
      <source>The server did not answer a request in time.</source>
      <translation>Der Server hat auf eine Anfrage nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
      <source>The user name or password was not accepted.</source>
      <translation>Benutzername oder Passwort wurden nicht akzeptiert.</translation>
    </message>
    <message>
      <source>This server only admits people who log in with a user name and password.</source>
      <translation>Dieser Server lässt nur Personen herein, die sich mit Benutzername und Passwort anmelden.</translation>
    </message>
    <message>
      <source>The server {host} offers no login method Treffpunkt can use safely.</source>
      <translation>Der Server {host} bietet kein Anmeldeverfahren an, das Treffpunkt sicher verwenden kann.</translation>
    </message>
    <message>
      <source>The user name or password contains characters that cannot be used.</source>
      <translation>Benutzername oder Passwort enthalten Zeichen, die nicht verwendet werden können.</translation>
    </message>
  </context>
</TS>
