"""The offline kit a trainer copies onto a USB stick: `datactiviste pack` and `pack verify`.

`kit` assembles it (program or wheel, handouts, sample data, tile packs, README, MANIFEST),
`program` finds what to ship as the program, `wheel` builds a wheel from the package with no
build tools, `fat32` keeps every name and size safe for FAT32 sticks and Windows,
`manifest` writes and checks the sha256 of every file, `readme` writes the trainers' README.
"""
