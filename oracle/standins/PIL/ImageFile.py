"""PIL.ImageFile stand-in."""
LOAD_TRUNCATED_IMAGES = False
