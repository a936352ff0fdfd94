"""In-app notices ("Thông báo"): what reminders and escalations tell a person, beside (or instead of) mail."""
