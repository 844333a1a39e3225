# A Nomad job running several programs in one task under gsupervisor, with
# the configuration of examples/container/supervisord.conf baked into the
# image. Nomad sends SIGTERM, waits kill_timeout, then kills: supervisord
# stops everything in order within shutdown_timeout (25 s) < 30 s. The
# checks use /healthz and /readyz (no credentials); a required program's
# failure ends the task with its exit status, and the restart block decides.
job "app" {
  datacenters = ["dc1"]

  group "app" {
    network {
      port "supervisor" { to = 9001 }
    }

    restart {
      attempts = 3
      interval = "10m"
      delay    = "15s"
      mode     = "fail"
    }

    service {
      name = "app"
      port = "supervisor"

      check {
        name     = "alive"
        type     = "http"
        path     = "/healthz"
        interval = "10s"
        timeout  = "2s"
      }

      check {
        name     = "ready"
        type     = "http"
        path     = "/readyz"
        interval = "5s"
        timeout  = "2s"
      }

      meta {
        metrics_path = "/metrics"
      }
    }

    task "app" {
      driver       = "docker"
      kill_signal  = "SIGTERM"
      kill_timeout = "30s"

      config {
        image   = "registry.example/app:1.0"
        command = "/usr/bin/supervisord"
        args    = ["-c", "/etc/gsupervisor/supervisord.conf"]
        ports   = ["supervisor"]
      }

      env {
        GSV_RUN    = "/run/gsupervisor"
        GSV_LISTEN = "0.0.0.0:9001"
      }

      template {
        destination = "secrets/supervisor.env"
        env         = true
        data        = "GSV_PASSWORD={{ with nomadVar \"nomad/jobs/app\" }}{{ .supervisor_password }}{{ end }}"
      }

      resources {
        cpu    = 500
        memory = 256
      }
    }
  }
}
