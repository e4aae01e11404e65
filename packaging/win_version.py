"""Windows version resource (file properties > Details) built from core/version.py."""

from __future__ import annotations

from pathlib import Path


def _four(version: str) -> tuple[int, int, int, int]:
    numbers = [int(part) for part in version.split(".")[:4]]
    return (*numbers, 0, 0, 0, 0)[:4]  # type: ignore[return-value]


def write_version_file(version: str, path: Path) -> str:
    from PyInstaller.utils.win32.versioninfo import (
        FixedFileInfo,
        StringFileInfo,
        StringStruct,
        StringTable,
        VarFileInfo,
        VarStruct,
        VSVersionInfo,
    )

    four = _four(version)
    info = VSVersionInfo(
        ffi=FixedFileInfo(filevers=four, prodvers=four),
        kids=[
            StringFileInfo(
                [
                    StringTable(
                        "040904B0",
                        [
                            StringStruct("CompanyName", "CryptoOrchestrator"),
                            StringStruct("FileDescription", "CryptoOrchestrator"),
                            StringStruct("FileVersion", version),
                            StringStruct("InternalName", "cryptoorchestrator"),
                            StringStruct("OriginalFilename", "cryptoorchestrator.exe"),
                            StringStruct("ProductName", "CryptoOrchestrator"),
                            StringStruct("ProductVersion", version),
                        ],
                    )
                ]
            ),
            VarFileInfo([VarStruct("Translation", [1033, 1200])]),
        ],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(str(info), encoding="utf-8")
    return str(path)
