# Build Treffpunkt for Windows: a one-folder bundle (dist\treffpunkt\) and an
# Inno Setup installer (dist\Treffpunkt-VERSION-Setup.exe).
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
#
# Needs Python 3.11 (the `py` launcher) and Inno Setup 6 (iscc.exe on PATH or in
# its default folder).  The build venv build\venv is separate from the
# development venv so that test tools never end up in the bundle.
$ErrorActionPreference = "Stop"
$Root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $Root

$Venv = "build\venv"
if (-not (Test-Path "$Venv\Scripts\python.exe")) {
    py -3.11 -m venv $Venv
}
$Python = "$Venv\Scripts\python.exe"
# Runtime dependencies plus the "bundle" extra (PyInstaller), both from pyproject.toml.
$Deps = & $Python -c "import tomllib; p = tomllib.load(open('pyproject.toml','rb'))['project']; print('\n'.join(p['dependencies'] + p['optional-dependencies']['bundle']))"
$Deps | Set-Content -Encoding utf8 "$Venv\requirements.txt"
& $Python -m pip install -q --disable-pip-version-check -r "$Venv\requirements.txt"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

& $Python scripts\build_translations.py
& $Python -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build\pyinstaller packaging\common\treffpunkt.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

$Version = & $Python -c "import client; print(client.__version__)"
$Iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $Iscc) { $Iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $Iscc "/DAppVersion=$Version" packaging\windows\treffpunkt.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "dist\Treffpunkt-$Version-Setup.exe"
