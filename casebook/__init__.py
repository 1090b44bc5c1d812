"""Case library: representative calls, weekly case-review meetings and their conclusions.

Fed by scored calls (data flows transcription -> scoring -> qa -> casebook); built in its
own issue.
"""
