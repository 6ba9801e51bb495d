"""The network's calendar: webinars, open lessons, seminars and the rest — scheduling (with weekly
series), registration with a waiting list, reminders, attendance, certificates, feedback, the personal
iCal feed, and the open demo lessons of contest finals. One module per use case."""
