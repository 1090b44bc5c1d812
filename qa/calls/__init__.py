"""Calls: recordings, their metadata, the audio store and ingestion."""
