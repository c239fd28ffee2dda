"""The routes of the web service, one router per OpenAPI tag (``web/app.py`` includes them; the register's is web/register.py)."""
