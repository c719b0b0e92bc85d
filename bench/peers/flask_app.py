"""The seed article's Flask app: GET /process blocks its worker for the wait. It has no WebSocket endpoint.

Run: PROCESS_SECONDS=1 gunicorn --workers 5 --bind 127.0.0.1:5402 flask_app:app
"""
import os
import time

from flask import Flask

PROCESS_SECONDS = float(os.environ.get("PROCESS_SECONDS", "5"))

app = Flask(__name__)


@app.route("/process")
def process():
    time.sleep(PROCESS_SECONDS)  # Simulate a blocking task
    return "Done!"
