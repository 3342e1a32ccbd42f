<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
  <context>
    <name>Treffpunkt</name>
    <message>
      <source>The audio and video connection could not be set up ({reason}).</source>
      <translation>Die Audio- und Videoverbindung konnte nicht aufgebaut werden ({reason}).</translation>
    </message>
    <message>
      <source>The audio and video connection to the other participant was lost.</source>
      <translation>Die Audio- und Videoverbindung zur anderen Person ist abgebrochen.</translation>
    </message>
    <message>
      <source>The camera “{device}” cannot be used ({reason}). Your video stays off.</source>
      <translation>Die Kamera „{device}“ kann nicht verwendet werden ({reason}). Ihr Video bleibt ausgeschaltet.</translation>
    </message>
    <message>
      <source>The camera “{device}” stopped working. Your video has been switched off.</source>
      <translation>Die Kamera „{device}“ funktioniert nicht mehr. Ihr Video wurde ausgeschaltet.</translation>
    </message>
    <message>
      <source>The microphone “{device}” cannot be used ({reason}). You stay muted.</source>
      <translation>Das Mikrofon „{device}“ kann nicht verwendet werden ({reason}). Ihr Mikrofon bleibt stummgeschaltet.</translation>
    </message>
    <message>
      <source>The microphone “{device}” stopped working. You have been muted.</source>
      <translation>Das Mikrofon „{device}“ funktioniert nicht mehr. Ihr Mikrofon wurde stummgeschaltet.</translation>
    </message>
    <message>
      <source>The speaker “{device}” cannot be used ({reason}). You will not hear the others.</source>
      <translation>Der Lautsprecher „{device}“ kann nicht verwendet werden ({reason}). Sie hören die anderen nicht.</translation>
    </message>
    <message>
      <source>The sound device could not be used ({reason}).</source>
      <translation>Das Audiogerät konnte nicht verwendet werden ({reason}).</translation>
    </message>
    <message>
      <source>The camera or microphone could not be used ({reason}).</source>
      <translation>Die Kamera oder das Mikrofon konnte nicht verwendet werden ({reason}).</translation>
    </message>
  </context>
</TS>
