from app.settings import load_settings


def handler(request):
    settings = load_settings()
    if settings["debug"]:
        print("request:", request)
    return {"status": 200, "body": "ok"}
