ROUTERS: list = []  # (prefix, ninja.Router), filled by the private API
