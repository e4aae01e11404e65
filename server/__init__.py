"""The self-hostable sync server. Shares only wire types with core.sync."""
