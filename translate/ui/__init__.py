"""What the web workspace does (``app.py`` holds the layout), and its password gate."""
