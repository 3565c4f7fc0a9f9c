import json


def load_settings(path="config.json"):
    with open(path) as f:
        return json.load(f)
