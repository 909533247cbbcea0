"""Briefing bot: a Discord bot that answers from a cited store built from articles."""
