"""Speech pipeline: decode call audio, transcribe with Whisper, diarise, assign roles.

A plain library: no Flask here. The app's job stage calls into it and stores the result.

Entry points: ``transcription.pipeline.transcribe_file(path, settings, progress)`` returns a
``transcription.schema.Transcript``; ``transcription.audio.probe(path)`` checks an upload;
``transcription.export.export(transcript, fmt)`` writes JSON, WebVTT, SRT or RTTM;
``transcription.cli.transcribe`` is the ``callqa transcribe`` command. Settings come in as a
``transcription.settings.TranscriptionSettings``; bad audio raises
``transcription.errors.AudioError``.
"""
