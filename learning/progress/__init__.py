"""Progress: lessons read, completions and the status of a person for an assignment.

One label set (``labels.Status``) and one computation (``engine.status_rows``) serve the learner pages,
the dashboards, the exports, the reminders, the API, PAR and ``flask compliance summary``. Assessment only
announces a passed attempt (``assessment.signals.attempt_passed``); ``progress.receivers`` writes the
completion.
"""
