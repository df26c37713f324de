; Inno Setup script: a Windows installer for the one-folder bundle.
;
;   iscc /DAppVersion=0.1.0 packaging\windows\nasro-desktop.iss
;
; Run after PyInstaller has built dist\nasro-desktop (see .github/workflows/bundle.yml).
; Installs for the current user only, so no administrator rights are needed (a chief's laptop
; is often locked down). The user's data (%LOCALAPPDATA%\nasro-desktop) is never installed or
; removed by this installer: uninstalling the app keeps every assessment and backup.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define Root "..\.."
#define AppTitle "SRO Program Readiness"

[Setup]
AppId={{DBA1BEAA-C2F3-4D06-9F2A-025A7BB6FB57}
AppName={#AppTitle}
AppVersion={#AppVersion}
AppVerName={#AppTitle} {#AppVersion}
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppTitle}
DefaultGroupName={#AppTitle}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Root}\dist
OutputBaseFilename=nasro-desktop-{#AppVersion}-windows-x64-setup
SetupIconFile={#Root}\resources\icons\nasro-desktop.ico
UninstallDisplayIcon={app}\nasro-desktop.exe
UninstallDisplayName={#AppTitle}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "Put a shortcut on the desktop"; GroupDescription: "Shortcuts:"

[Files]
Source: "{#Root}\dist\nasro-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppTitle}"; Filename: "{app}\nasro-desktop.exe"
Name: "{group}\{#AppTitle} self-test"; Filename: "{cmd}"; Parameters: "/k ""{app}\nasro-desktop-cli.exe"" --self-test"; IconFilename: "{app}\nasro-desktop.exe"
Name: "{autodesktop}\{#AppTitle}"; Filename: "{app}\nasro-desktop.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\nasro-desktop.exe"; Description: "Start {#AppTitle} now"; Flags: nowait postinstall skipifsilent
