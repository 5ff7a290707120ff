import socket

from celery import shared_task


@shared_task
def ping() -> dict:
    """Answers from whichever process ran it: the health check's proof that a worker is listening."""
    return {"pong": True, "host": socket.gethostname()}
