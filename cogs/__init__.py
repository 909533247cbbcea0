"""One cog per capability; each module ends with ``async def setup(bot)``."""
