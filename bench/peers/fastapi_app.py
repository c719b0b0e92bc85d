"""The seed article's FastAPI app: GET /process waits without blocking, /ws echoes.

Run: PROCESS_SECONDS=1 python3 -m uvicorn fastapi_app:app --workers 1 --port 5401
"""
import asyncio
import os

from fastapi import FastAPI, WebSocket, WebSocketDisconnect

PROCESS_SECONDS = float(os.environ.get("PROCESS_SECONDS", "5"))

app = FastAPI()


@app.get("/process")
async def process():
    await asyncio.sleep(PROCESS_SECONDS)  # Non-blocking!
    return {"status": "Done!"}


@app.websocket("/ws")
async def websocket_endpoint(websocket: WebSocket):
    await websocket.accept()
    try:
        while True:
            data = await websocket.receive_text()
            await websocket.send_text(f"Echo: {data}")
    except WebSocketDisconnect:
        pass
