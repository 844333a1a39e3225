// Command supervisorctl is gsupervisor's control client (skeleton; the full
// command set lands with the ctl issue).
package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	supervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/supervisor/v1"
)

func main() {
	url := "unix:///tmp/supervisor.sock"
	args := os.Args[1:]
	if len(args) >= 2 && args[0] == "-s" {
		url, args = args[1], args[2:]
	}
	conn, err := grpc.NewClient(strings.Replace(url, "unix://", "unix:", 1), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := supervisorv1.NewSupervisorServiceClient(conn).GetState(ctx, &supervisorv1.GetStateRequest{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(st.GetState())
}
