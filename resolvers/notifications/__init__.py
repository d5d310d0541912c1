"""Notifications (issue 17, part 1): the inbox, deliveries to the tenant's channels, the events
that send them and the reminders. Other modules call ``send.notify``; nothing else writes."""

from resolvers.notifications import events as events  # registers the period's reactions
