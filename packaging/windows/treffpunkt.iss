; Inno Setup 6 script for Treffpunkt on Windows.
;
; Built by packaging\windows\build.ps1 (which freezes dist\treffpunkt\ first):
;   iscc /DAppVersion=0.1.0 packaging\windows\treffpunkt.iss
;
; Admin preset at install time, interactively (a wizard page) or unattended:
;   Treffpunkt-Setup.exe /VERYSILENT /SERVER=https://konferenz.bretten.de /LOCKSERVER=1 /HIDEPUBLIC=1
;   Treffpunkt-Setup.exe /VERYSILENT /PRESET=\\fileserver\it\treffpunkt-defaults.json
; writes the machine-wide preset file PresetDir\defaults.json, which the app reads
; at every start (see "Admin presets" in README.md).  An install without any of
; these leaves an existing preset file untouched.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Treffpunkt"
#define AppExe "treffpunkt.exe"
#define AppId "de.treffpunkt.Treffpunkt"
; client/settings/preset.py reads platformdirs.site_config_dir("treffpunkt", appauthor=False),
; which is C:\ProgramData\treffpunkt.
#define PresetDir "{commonappdata}\treffpunkt"
#define UrlScheme "jitsi-meet"

[Setup]
AppId={{6C0E7A52-3F1B-4C8E-9D3A-7B2F5E1A9C41}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Treffpunkt developers
AppPublisherURL=https://example.invalid/treffpunkt
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; The preset and the URL scheme are machine-wide.
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=Treffpunkt-{#AppVersion}-Setup
SetupIconFile=..\..\resources\icons\treffpunkt.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; No update check, no telemetry: the installer contacts nothing.

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "de"; MessagesFile: "compiler:Languages\German.isl"

[CustomMessages]
en.PresetTitle=Server preset (for administrators)
de.PresetTitle=Server-Voreinstellung (für Administratoren)
en.PresetDescription=Optionally preset the Jitsi Meet server for every user of this computer.
de.PresetDescription=Optional können Sie den Jitsi-Meet-Server für alle Benutzer dieses Computers voreinstellen.
en.PresetServer=Default server (leave empty to let each user choose), e.g. https://konferenz.bretten.de:
de.PresetServer=Standardserver (leer lassen, damit jeder selbst wählt), z. B. https://konferenz.bretten.de:
en.PresetLock=Users may not choose another server
de.PresetLock=Benutzer dürfen keinen anderen Server wählen
en.PresetHidePublic=Do not offer public servers
de.PresetHidePublic=Keine öffentlichen Server anbieten
en.PresetBadServer=Please enter the server address starting with https://, or leave the field empty.
de.PresetBadServer=Bitte geben Sie die Serveradresse mit https:// am Anfang ein oder lassen Sie das Feld leer.
en.LaunchApp=Start Treffpunkt now
de.LaunchApp=Treffpunkt jetzt starten

[Files]
Source: "..\..\dist\treffpunkt\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Registry]
; jitsi-meet://host/room opens the pre-join screen for that room.
Root: HKA; Subkey: "Software\Classes\{#UrlScheme}"; ValueType: string; ValueName: ""; ValueData: "URL:Jitsi Meet"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#UrlScheme}"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\{#UrlScheme}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"",0"
Root: HKA; Subkey: "Software\Classes\{#UrlScheme}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
; Let Windows' "Default apps" settings list Treffpunkt for the scheme.
Root: HKA; Subkey: "Software\Treffpunkt\Capabilities"; ValueType: string; ValueName: "ApplicationName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Treffpunkt\Capabilities"; ValueType: string; ValueName: "ApplicationDescription"; ValueData: "Video meetings on your town's Jitsi Meet server"
Root: HKA; Subkey: "Software\Treffpunkt\Capabilities\URLAssociations"; ValueType: string; ValueName: "{#UrlScheme}"; ValueData: "{#UrlScheme}"
Root: HKA; Subkey: "Software\RegisteredApplications"; ValueType: string; ValueName: "{#AppName}"; ValueData: "Software\Treffpunkt\Capabilities"; Flags: uninsdeletevalue

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchApp}"; Flags: nowait postinstall skipifsilent

[Code]
var
  PresetPage: TInputQueryWizardPage;
  LockBox, HidePublicBox: TNewCheckBox;

function JsonString(const S: String): String;
var
  I: Integer;
  C: Char;
begin
  Result := '"';
  for I := 1 to Length(S) do
  begin
    C := S[I];
    if (C = '"') or (C = '\') then
      Result := Result + '\' + C
    else if Ord(C) >= 32 then
      Result := Result + C;
  end;
  Result := Result + '"';
end;

function JsonBool(B: Boolean): String;
begin
  if B then Result := 'true' else Result := 'false';
end;

function ParamIsOn(const Name: String): Boolean;
var
  V: String;
begin
  V := Lowercase(ExpandConstant('{param:' + Name + '|0}'));
  Result := (V = '1') or (V = 'yes') or (V = 'true');
end;

procedure InitializeWizard;
begin
  PresetPage := CreateInputQueryPage(wpSelectTasks, CustomMessage('PresetTitle'),
    CustomMessage('PresetDescription'), '');
  PresetPage.Add(CustomMessage('PresetServer'), False);
  PresetPage.Values[0] := ExpandConstant('{param:SERVER|}');

  LockBox := TNewCheckBox.Create(PresetPage);
  LockBox.Parent := PresetPage.Surface;
  LockBox.Top := PresetPage.Edits[0].Top + PresetPage.Edits[0].Height + ScaleY(16);
  LockBox.Width := PresetPage.SurfaceWidth;
  LockBox.Caption := CustomMessage('PresetLock');
  LockBox.Checked := ParamIsOn('LOCKSERVER');

  HidePublicBox := TNewCheckBox.Create(PresetPage);
  HidePublicBox.Parent := PresetPage.Surface;
  HidePublicBox.Top := LockBox.Top + LockBox.Height + ScaleY(8);
  HidePublicBox.Width := PresetPage.SurfaceWidth;
  HidePublicBox.Caption := CustomMessage('PresetHidePublic');
  HidePublicBox.Checked := ParamIsOn('HIDEPUBLIC');
end;

function NextButtonClick(CurPageID: Integer): Boolean;
var
  Server: String;
begin
  Result := True;
  if CurPageID = PresetPage.ID then
  begin
    Server := Trim(PresetPage.Values[0]);
    if (Server <> '') and (Pos('https://', Lowercase(Server)) <> 1) then
    begin
      MsgBox(CustomMessage('PresetBadServer'), mbError, MB_OK);
      Result := False;
    end;
  end;
end;

procedure WritePreset;
var
  Server, PresetFile, Source, Json: String;
begin
  PresetFile := ExpandConstant('{#PresetDir}\defaults.json');
  Source := ExpandConstant('{param:PRESET|}');
  ForceDirectories(ExpandConstant('{#PresetDir}'));
  if Source <> '' then
  begin
    { A complete preset file prepared by the admin wins over the single options. }
    if not FileCopy(Source, PresetFile, False) then
      Log('Could not copy the preset file ' + Source);
    exit;
  end;
  Server := Trim(PresetPage.Values[0]);
  if Server = '' then
    exit;  { no preset asked for: leave an existing file alone }
  Json := '{' + #13#10 +
    '  "default_server": ' + JsonString(Server) + ',' + #13#10 +
    '  "lock_server": ' + JsonBool(LockBox.Checked) + ',' + #13#10 +
    '  "hide_public_servers": ' + JsonBool(HidePublicBox.Checked) + #13#10 +
    '}' + #13#10;
  if not SaveStringToFile(PresetFile, Json, False) then
    Log('Could not write the preset file ' + PresetFile);
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if CurStep = ssPostInstall then
    WritePreset;
end;
