"""datactiviste: an offline data toolkit for journalists and civil-society trainees."""

__version__ = "0.1.0"
