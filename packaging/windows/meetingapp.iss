; Inno Setup 6 script: the Windows installer of meetingapp (built by
; .github/workflows/windows.yml with ISCC.exe /DAppVersion=X.Y.Z packaging\windows\meetingapp.iss
; after PyInstaller has made dist\meetingapp\ from packaging\windows\meetingapp.spec).
; Offline: everything (Python, Qt, the Whisper base model, face models) is in the one setup file.
; LibreOffice (minutes to PDF) is not: the installer and the app say so when it is missing.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define Bundle "..\..\dist\meetingapp"

[Setup]
AppId={{6F1B0C1E-2D7A-4C55-9E0B-6B1C3A9D2F41}
AppName=meetingapp
AppVerName=meetingapp {#AppVersion}
AppVersion={#AppVersion}
AppPublisher=meetingapp
DefaultDirName={autopf}\meetingapp
DefaultGroupName=meetingapp
DisableProgramGroupPage=yes
; per-user install without administrator rights is offered too (/CURRENTUSER on the command line)
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=commandline dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=meetingapp-{#AppVersion}-windows-x64-setup
Compression=lzma2/fast
SolidCompression=no
UninstallDisplayIcon={app}\meetingapp-app.exe
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\meetingapp (Họp không giấy)"; Filename: "{app}\meetingapp-app.exe"; \
  Parameters: "run --demo --out ""{userdocs}\meetingapp-demo"""; WorkingDir: "{userdocs}"
Name: "{autodesktop}\meetingapp (Họp không giấy)"; Filename: "{app}\meetingapp-app.exe"; \
  Parameters: "run --demo --out ""{userdocs}\meetingapp-demo"""; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Code]
function LibreOfficeFound(): Boolean;
begin
  Result := FileExists(ExpandConstant('{commonpf64}\LibreOffice\program\soffice.exe')) or
            FileExists(ExpandConstant('{commonpf32}\LibreOffice\program\soffice.exe'));
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if (CurStep = ssPostInstall) and not LibreOfficeFound() then
    SuppressibleMsgBox(
      'Chưa có LibreOffice: chưa thể chuyển biên bản sang PDF (lập dự thảo, hoàn tất, ký số). ' +
      'Hãy cài LibreOffice từ https://www.libreoffice.org/download. Mọi chức năng khác vẫn hoạt động.' + #13#10#13#10 +
      'LibreOffice is not installed: converting the minutes to PDF (draft, finalise, sign) waits for it. ' +
      'Install it from https://www.libreoffice.org/download. Everything else works.',
      mbInformation, MB_OK, IDOK);
end;
