"""Training: quizzes auto-assigned from weak QA results, and 360-degree reviews.

Fed by scored calls (data flows transcription -> scoring -> qa -> training); built in its
own issue.
"""
