<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
  <context>
    <name>Treffpunkt</name>
    <message>
      <source>none</source>
      <translation>(keine Angabe)</translation>
    </message>
    <message>
      <source>standard values (no config.js found)</source>
      <translation>Standardwerte (keine config.js gefunden)</translation>
    </message>
    <message>
      <source>Result: the server cannot be used.</source>
      <translation>Ergebnis: Der Server kann nicht verwendet werden.</translation>
    </message>
    <message>
      <source>Configuration</source>
      <translation>Konfiguration</translation>
    </message>
    <message>
      <source>Tenant</source>
      <translation>Mandant</translation>
    </message>
    <message>
      <source>XMPP domain</source>
      <translation>XMPP-Domain</translation>
    </message>
    <message>
      <source>Guest domain</source>
      <translation>Gast-Domain</translation>
    </message>
    <message>
      <source>Conference domain (MUC)</source>
      <translation>Konferenz-Domain (MUC)</translation>
    </message>
    <message>
      <source>Conference service (focus)</source>
      <translation>Konferenzdienst (Fokus)</translation>
    </message>
    <message>
      <source>WebSocket</source>
      <translation>WebSocket</translation>
    </message>
    <message>
      <source>BOSH</source>
      <translation>BOSH</translation>
    </message>
    <message>
      <source>Conference request</source>
      <translation>Konferenzanfrage</translation>
    </message>
    <message>
      <source>Peer-to-peer calls</source>
      <translation>Direktverbindung (Peer-to-Peer)</translation>
    </message>
    <message>
      <source>Start muted</source>
      <translation>Beim Beitritt aus</translation>
    </message>
    <message>
      <source>Result: the configuration was found, but the XMPP connection failed.</source>
      <translation>Ergebnis: Die Konfiguration wurde gefunden, aber die XMPP-Verbindung ist fehlgeschlagen.</translation>
    </message>
    <message>
      <source>Result: the server can be used.</source>
      <translation>Ergebnis: Der Server kann verwendet werden.</translation>
    </message>
    <message>
      <source>config.js ({url})</source>
      <translation>config.js ({url})</translation>
    </message>
    <message>
      <source>over XMPP</source>
      <translation>über XMPP</translation>
    </message>
    <message>
      <source>on</source>
      <translation>an</translation>
    </message>
    <message>
      <source>off</source>
      <translation>aus</translation>
    </message>
    <message>
      <source>XMPP connection</source>
      <translation>XMPP-Verbindung</translation>
    </message>
    <message>
      <source>Server check for {server}</source>
      <translation>Serverprüfung für {server}</translation>
    </message>
    <message>
      <source>Warnings:</source>
      <translation>Hinweise:</translation>
    </message>
    <message>
      <source>The address began with http://; Treffpunkt uses the encrypted https:// instead.</source>
      <translation>Die Adresse begann mit http://; Treffpunkt verwendet stattdessen das verschlüsselte https://.</translation>
    </message>
    <message>
      <source>microphone</source>
      <translation>Mikrofon</translation>
    </message>
    <message>
      <source>camera</source>
      <translation>Kamera</translation>
    </message>
    <message>
      <source>stream opened (login methods: {methods})</source>
      <translation>Verbindung geöffnet (Anmeldeverfahren: {methods})</translation>
    </message>
    <message>
      <source>The security certificate of {host} was not issued by an authority that Treffpunkt trusts. The connection was not made.</source>
      <translation>Das Sicherheitszertifikat von {host} wurde nicht von einer Stelle ausgestellt, der Treffpunkt vertraut. Die Verbindung wurde nicht hergestellt.</translation>
    </message>
    <message>
      <source>The security certificate of {host} has expired or is not valid yet. The connection was not made.</source>
      <translation>Das Sicherheitszertifikat von {host} ist abgelaufen oder noch nicht gültig. Die Verbindung wurde nicht hergestellt.</translation>
    </message>
    <message>
      <source>The security certificate presented by {host} was issued for a different name. The connection was not made.</source>
      <translation>Das Sicherheitszertifikat, das {host} vorlegt, wurde für einen anderen Namen ausgestellt. Die Verbindung wurde nicht hergestellt.</translation>
    </message>
    <message>
      <source>A secure connection to {host} could not be established.</source>
      <translation>Eine sichere Verbindung zu {host} konnte nicht aufgebaut werden.</translation>
    </message>
    <message>
      <source>Treffpunkt connects to {host} only over an encrypted connection (https).</source>
      <translation>Treffpunkt verbindet sich mit {host} nur über eine verschlüsselte Verbindung (https).</translation>
    </message>
    <message>
      <source>The server {host} did not answer in time. Please try again later.</source>
      <translation>Der Server {host} hat nicht rechtzeitig geantwortet. Bitte versuchen Sie es später erneut.</translation>
    </message>
    <message>
      <source>The server {host} redirects to a different server ({target}). Treffpunkt only connects to the server you chose; enter {target} yourself if that is intended.</source>
      <translation>Der Server {host} leitet auf einen anderen Server weiter ({target}). Treffpunkt verbindet sich nur mit dem Server, den Sie gewählt haben; geben Sie {target} selbst ein, wenn das so gewollt ist.</translation>
    </message>
    <message>
      <source>The server {host} answered with an error (HTTP {status}). Please try again later.</source>
      <translation>Der Server {host} hat mit einem Fehler geantwortet (HTTP {status}). Bitte versuchen Sie es später erneut.</translation>
    </message>
    <message>
      <source>The server {host} sent an answer that Treffpunkt cannot read.</source>
      <translation>Der Server {host} hat eine Antwort gesendet, die Treffpunkt nicht lesen kann.</translation>
    </message>
    <message>
      <source>The server {host} sent more data than expected (over {limit_kb} KB).</source>
      <translation>Der Server {host} hat mehr Daten gesendet als erwartet (über {limit_kb} KB).</translation>
    </message>
    <message>
      <source>The configuration of {host} (config.js) took too long to evaluate and was stopped.</source>
      <translation>Die Konfiguration von {host} (config.js) hat zu lange gebraucht und wurde abgebrochen.</translation>
    </message>
    <message>
      <source>The configuration of {host} (config.js) needed too much memory and was stopped.</source>
      <translation>Die Konfiguration von {host} (config.js) hat zu viel Speicher benötigt und wurde abgebrochen.</translation>
    </message>
    <message>
      <source>The configuration of {host} (config.js) is not valid JavaScript.</source>
      <translation>Die Konfiguration von {host} (config.js) ist kein gültiges JavaScript.</translation>
    </message>
    <message>
      <source>The configuration of {host} (config.js) stopped with an error.</source>
      <translation>Die Konfiguration von {host} (config.js) ist mit einem Fehler abgebrochen.</translation>
    </message>
    <message>
      <source>The configuration of {host} (config.js) does not define a configuration object.</source>
      <translation>Die Konfiguration von {host} (config.js) enthält kein Konfigurationsobjekt.</translation>
    </message>
    <message>
      <source>The configuration of {host} (config.js) is larger than {limit_kb} KB and was not read.</source>
      <translation>Die Konfiguration von {host} (config.js) ist größer als {limit_kb} KB und wurde nicht gelesen.</translation>
    </message>
    <message>
      <source>The configuration of {host} could not be evaluated: Treffpunkt's script sandbox failed to run.</source>
      <translation>Die Konfiguration von {host} konnte nicht ausgewertet werden: Die abgeschottete Skriptumgebung von Treffpunkt ließ sich nicht starten.</translation>
    </message>
    <message>
      <source>The XMPP service of {host} did not open a connection for the domain {domain}.</source>
      <translation>Der XMPP-Dienst von {host} hat keine Verbindung für die Domain {domain} geöffnet.</translation>
    </message>
    <message>
      <source>config.js: the value of {key} has the wrong type or form and is ignored.</source>
      <translation>config.js: Der Wert von {key} hat den falschen Typ oder die falsche Form und wird ignoriert.</translation>
    </message>
    <message>
      <source>The server sends config.js without filling in its SSI variables; Treffpunkt filled them in itself.</source>
      <translation>Der Server liefert die config.js aus, ohne ihre SSI-Variablen einzusetzen; Treffpunkt hat sie selbst eingesetzt.</translation>
    </message>
    <message>
      <source>{host} publishes no config.js; Treffpunkt assumes a standard installation (XMPP domain {domain}). This guess is often wrong for Docker installations.</source>
      <translation>{host} stellt keine config.js bereit; Treffpunkt geht von einer Standardinstallation aus (XMPP-Domain {domain}). Bei Docker-Installationen trifft diese Annahme oft nicht zu.</translation>
    </message>
    <message>
      <source>config.js does not name the XMPP domain (hosts.domain); Treffpunkt assumes {domain}.</source>
      <translation>Die config.js nennt keine XMPP-Domain (hosts.domain); Treffpunkt nimmt {domain} an.</translation>
    </message>
    <message>
      <source>config.js does not name the conference domain (hosts.muc); Treffpunkt assumes {muc}.</source>
      <translation>Die config.js nennt keine Konferenz-Domain (hosts.muc); Treffpunkt nimmt {muc} an.</translation>
    </message>
    <message>
      <source>config.js names no WebSocket address for XMPP; Treffpunkt tries {url}.</source>
      <translation>Die config.js nennt keine WebSocket-Adresse für XMPP; Treffpunkt versucht es mit {url}.</translation>
    </message>
    <message>
      <source>config.js names the STUN/TURN server {url}, which does not belong to this server; Treffpunkt does not use it.</source>
      <translation>Die config.js nennt den STUN/TURN-Server {url}, der nicht zu diesem Server gehört; Treffpunkt verwendet ihn nicht.</translation>
    </message>
    <message>
      <source>config.js: the address in {key} is not usable and is ignored.</source>
      <translation>config.js: Die Adresse in {key} ist nicht verwendbar und wird ignoriert.</translation>
    </message>
    <message>
      <source>config.js: {key} uses an unencrypted address and is ignored.</source>
      <translation>config.js: {key} verwendet eine unverschlüsselte Adresse und wird ignoriert.</translation>
    </message>
  </context>
</TS>
