"""One trainer per data folder: the folder lock, and a local socket a second start uses to raise the first."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from trainer.folder_lock import FolderLock

CONNECT_TIMEOUT_MS = 1000


def server_name(data_folder: Path) -> str:
    """A short socket name unique to the data folder (and the same for every start on it)."""
    digest = hashlib.sha256(str(data_folder.resolve()).encode()).hexdigest()[:16]
    return f"reciprocity-trainer-{digest}"


class SingleInstance(QObject):
    """Holds a data folder for this process while it runs; a crashed trainer's lock goes with its process."""

    sig_activation_requested = Signal()
    """Emitted when another start on the same data folder asks this one to come to the front."""

    def __init__(self, data_folder: Path):
        super().__init__()
        self.data_folder = data_folder
        self.name = server_name(data_folder)
        self._lock = FolderLock(data_folder)
        self._server: QLocalServer | None = None

    def acquire(self, *, listen: bool = True) -> bool:
        """Take the data folder: True, or False when another running trainer holds it.

        `listen=False` takes the lock without answering later starts (for a command-line tool that runs
        no event loop).

        Raises:
            FolderLockError: the guard cannot be taken; the caller must not open the database.
        """
        if not self._lock.acquire():
            return False
        if listen:
            self._listen()
        return True

    def _listen(self) -> None:
        QLocalServer.removeServer(self.name)  # a socket left by a crashed trainer; we hold the lock
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if server.listen(self.name):
            server.newConnection.connect(self._on_server_new_connection)
            self._server = server

    def _on_server_new_connection(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            connection.disconnected.connect(connection.deleteLater)
            connection.disconnectFromServer()
        self.sig_activation_requested.emit()

    def ask_running_to_come_forward(self) -> bool:
        """Ask the trainer holding the folder to raise its window; True when it was reached."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        reached = socket.waitForConnected(CONNECT_TIMEOUT_MS)
        socket.abort()
        return reached

    def release(self) -> None:
        """Give the data folder back (also done by the system if the process dies)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.release()
