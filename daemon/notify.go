package main

import (
	"fmt"
	"net"
	"os"
)

// notifySocket is the service manager's notification socket
// ($NOTIFY_SOCKET, systemd's sd_notify protocol), taken out of the
// environment at start-up so that programs do not inherit it.
var notifySocket = takeNotifySocket()

func takeNotifySocket() string {
	s := os.Getenv("NOTIFY_SOCKET")
	os.Unsetenv("NOTIFY_SOCKET")
	return s
}

// notify tells the service manager about the daemon's state ("READY=1",
// "RELOADING=1", "STOPPING=1"); without a manager it does nothing. A name
// starting with "@" is an abstract socket, which net handles.
func notify(state string) error {
	if notifySocket == "" {
		return nil
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: notifySocket, Net: "unixgram"})
	if err != nil {
		return fmt.Errorf("notify the service manager: %w", err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(state)); err != nil {
		return fmt.Errorf("notify the service manager: %w", err)
	}
	return nil
}
