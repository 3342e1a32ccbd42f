<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
  <context>
    <name>Treffpunkt</name>
    <message>
      <source>The meeting service on the server does not answer. Please try again later.</source>
      <translation>Der Konferenzdienst des Servers antwortet nicht. Bitte versuchen Sie es später noch einmal.</translation>
    </message>
    <message>
      <source>The room {room} cannot be used at the moment (the reservation system refused it).</source>
      <translation>Der Raum {room} kann gerade nicht genutzt werden (das Reservierungssystem hat ihn abgelehnt).</translation>
    </message>
    <message>
      <source>The server wants to move this meeting to another node; Treffpunkt cannot follow yet.</source>
      <translation>Der Server möchte diese Konferenz auf einen anderen Knoten verlegen; dorthin kann Treffpunkt noch nicht folgen.</translation>
    </message>
    <message>
      <source>The room {room} is locked with a password.</source>
      <translation>Der Raum {room} ist mit einem Passwort geschützt.</translation>
    </message>
    <message>
      <source>The password for the room {room} is not correct.</source>
      <translation>Das Passwort für den Raum {room} ist nicht richtig.</translation>
    </message>
    <message>
      <source>The room {room} is only open to invited members.</source>
      <translation>Der Raum {room} ist nur für eingeladene Mitglieder geöffnet.</translation>
    </message>
    <message>
      <source>The room {room} can only be entered with a name.</source>
      <translation>Den Raum {room} können Sie nur mit einem Namen betreten.</translation>
    </message>
    <message>
      <source>The room {room} is full: the maximum number of participants has been reached.</source>
      <translation>Der Raum {room} ist voll: Die höchste Zahl an Teilnehmenden ist erreicht.</translation>
    </message>
    <message>
      <source>You are not allowed to enter the room {room}.</source>
      <translation>Sie dürfen den Raum {room} nicht betreten.</translation>
    </message>
    <message>
      <source>The server does not allow you to join the room {room}.</source>
      <translation>Der Server erlaubt Ihnen nicht, den Raum {room} zu betreten.</translation>
    </message>
    <message>
      <source>The room {room} could not be opened because the meeting service did not set it up in time. Please try again.</source>
      <translation>Der Raum {room} konnte nicht geöffnet werden, weil der Konferenzdienst ihn nicht rechtzeitig eingerichtet hat. Bitte versuchen Sie es noch einmal.</translation>
    </message>
    <message>
      <source>The room {room} only admits signed-in users.</source>
      <translation>Der Raum {room} ist nur für angemeldete Personen zugänglich.</translation>
    </message>
    <message>
      <source>Signing in as host failed: the user name or the password is not correct.</source>
      <translation>Die Anmeldung als Gastgeber ist fehlgeschlagen: Benutzername oder Passwort stimmen nicht.</translation>
    </message>
    <message>
      <source>The room {room} kept refusing our participant name. Please try again.</source>
      <translation>Der Raum {room} hat unsere Teilnehmerkennung wiederholt abgelehnt. Bitte versuchen Sie es noch einmal.</translation>
    </message>
    <message>
      <source>The server did not answer in time while joining the room {room}.</source>
      <translation>Beim Betreten des Raums {room} hat der Server nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
      <source>A moderator did not let you into the room {room}.</source>
      <translation>Eine Moderatorin oder ein Moderator hat Sie nicht in den Raum {room} eingelassen.</translation>
    </message>
    <message>
      <source>The meeting {room} has been ended.</source>
      <translation>Die Konferenz {room} wurde beendet.</translation>
    </message>
    <message>
      <source>The meeting service left the room {room} and it could not be rejoined.</source>
      <translation>Der Konferenzdienst hat den Raum {room} verlassen, und der Raum konnte nicht erneut betreten werden.</translation>
    </message>
    <message>
      <source>The server {host} offers no WebSocket connection for meetings, which Treffpunkt needs.</source>
      <translation>Der Server {host} bietet für Konferenzen keine WebSocket-Verbindung an, die Treffpunkt aber benötigt.</translation>
    </message>
    <message>
      <source>The server refused this action.</source>
      <translation>Der Server hat diese Aktion abgelehnt.</translation>
    </message>
    <message>
      <source>Only moderators can do this.</source>
      <translation>Das können nur Moderatorinnen und Moderatoren.</translation>
    </message>
    <message>
      <source>This is only possible during the meeting.</source>
      <translation>Das ist nur während der Konferenz möglich.</translation>
    </message>
    <message>
      <source>This server has no lobby.</source>
      <translation>Dieser Server hat keinen Warteraum.</translation>
    </message>
    <message>
      <source>This server does not allow protecting the room with a password.</source>
      <translation>Auf diesem Server lässt sich der Raum nicht mit einem Passwort schützen.</translation>
    </message>
    <message>
      <source>This person is no longer here.</source>
      <translation>Diese Person ist nicht mehr da.</translation>
    </message>
  </context>
</TS>
