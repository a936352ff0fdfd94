"""Checks a text for citizens' personal data and secrets before it goes to a chatbot (issue 20).

Everything here works on a string in memory: nothing is stored, logged or cached.
"""
