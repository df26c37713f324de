; Inno Setup script: a Windows installer for the one-folder bundle.
;
;   iscc /DAppVersion=0.2.0rc1 /DAppNumbers=0.2.0.0 /DSupportURL=https://github.com/OWNER/REPO ^
;        packaging\windows\nasro-desktop.iss
;
; Run after PyInstaller has built dist\nasro-desktop (see .github/workflows/bundle.yml).
; AppVersion is the full version, shown to the user and in the file name (a suffix such as
; rc1 is kept); AppNumbers is Windows' four-number form (python packaging/versions.py windows
; VERSION), the only one VersionInfoVersion accepts. The licence page shows
; THIRD-PARTY-NOTICES.txt (packaging/notices.py), which the bundle also carries.
; Installs for the current user only, so no administrator rights are needed (a chief's laptop
; is often locked down). The user's data (%LOCALAPPDATA%\nasro-desktop) is never installed or
; removed by this installer: uninstalling the app keeps every assessment and backup.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef AppNumbers
  #define AppNumbers "0.0.0.0"
#endif
#ifndef SupportURL
  #define SupportURL "https://github.com/nasro-desktop/nasro-desktop"
#endif
#ifndef Publisher
  #define Publisher "SRO Program Readiness project"
#endif
#define Root "..\.."
#define AppTitle "SRO Program Readiness"

[Setup]
AppId={{DBA1BEAA-C2F3-4D06-9F2A-025A7BB6FB57}
AppName={#AppTitle}
AppVersion={#AppVersion}
AppVerName={#AppTitle} {#AppVersion}
VersionInfoVersion={#AppNumbers}
VersionInfoProductVersion={#AppNumbers}
VersionInfoTextVersion={#AppVersion}
VersionInfoProductTextVersion={#AppVersion}
VersionInfoCompany={#Publisher}
VersionInfoDescription={#AppTitle} installer
AppPublisher={#Publisher}
AppPublisherURL={#SupportURL}
AppSupportURL={#SupportURL}
AppUpdatesURL={#SupportURL}/releases
LicenseFile={#Root}\dist\nasro-desktop\THIRD-PARTY-NOTICES.txt
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
