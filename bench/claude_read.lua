-- wrk script: Claude Code's Read of a 1 KiB file (the same file read_file.lua reads), on the claude-code profile's route.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"session_id":"bench","tool":"Read","args":{"file_path":"/workspace/data.txt"}}'
