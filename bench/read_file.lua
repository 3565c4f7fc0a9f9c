-- wrk script: read a 1 KiB file through the Spin envelope route.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"session_id":"bench","tool":"read_file","args":{"file_path":"data.txt"}}'
