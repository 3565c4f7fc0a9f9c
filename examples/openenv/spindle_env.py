"""Spindle episodes through OpenEnv's own client, in TRL's environment_factory pattern.

Not run in CI (PyPI is not reachable there). Needs: pip install openenv-core trl datasets
and a server: ./spindle serve --store memory --max-envs 256 --tasks examples/tasks

    python spindle_env.py            # one scripted episode per mode, printed
    python spindle_env.py --train    # the GRPOTrainer wiring (needs a GPU and a model)
"""

import os
import sys

from openenv.core.env_server.types import State
from openenv.core.mcp_client import MCPToolClient

SPINDLE_URL = os.environ.get("SPINDLE_URL", "http://localhost:3000")


class SpindleClient(MCPToolClient):
    """OpenEnv's MCP client, keeping what Spindle declares beyond OpenEnv's base types.

    The base client turns a reset's observation into a bare Observation and keeps only episode_id and
    step_count of the state; Spindle's reset observation (instruction, task_id, seed, steps_left) and
    state (done, reward, breakdown) are declared fields, so they are kept here as sent.
    """

    last_observation: dict = {}

    def _parse_result(self, payload):
        self.last_observation = payload.get("observation", {})
        return super()._parse_result(payload)

    def _parse_state(self, payload):
        return State(**payload)


class SpindleTaskEnv:
    """One rollout's environment for TRL: one WebSocket, one Spindle session.

    TRL calls reset(**dataset_row) before each generation and exposes every public documented method
    as a tool; the reward function reads self.reward once the rollout ends.
    """

    def __init__(self):
        self.client = SpindleClient(base_url=SPINDLE_URL).sync()
        self.client.connect()
        self.reward = 0.0

    def reset(self, **row) -> str:
        # No "task" in the row: a bare sandbox with every served tool (no submit, reward stays 0).
        self.client.reset(**{k: v for k, v in row.items() if k in ("task", "seed", "episode_id")})
        self.reward = 0.0
        started = self.client.async_client.last_observation
        return started.get("instruction") or "You have a sandbox with files. Use the tools."

    def read_file(self, file_path: str) -> str:
        """Read a file of the sandbox.

        Args:
            file_path: Path of the file, relative to the sandbox root.
        """
        return self._call("read_file", file_path=file_path)

    def write_file(self, file_path: str, content: str) -> str:
        """Write (create or replace) a file of the sandbox.

        Args:
            file_path: Path of the file, relative to the sandbox root.
            content: The whole new content.
        """
        return self._call("write_file", file_path=file_path, content=content)

    def list_files(self) -> str:
        """List every file of the sandbox as a JSON array of paths."""
        return self._call("list_files")

    def edit_file(self, file_path: str, old_string: str, new_string: str) -> str:
        """Replace one exact occurrence of old_string by new_string in a file.

        Args:
            file_path: Path of the file, relative to the sandbox root.
            old_string: The text to replace; it must occur exactly once.
            new_string: The replacement.
        """
        return self._call("edit_file", file_path=file_path, old_string=old_string, new_string=new_string)

    def submit(self) -> str:
        """Finish the task: the verifier checks the sandbox and the episode ends with its reward."""
        answer = self._call("submit")
        return answer

    def _call(self, tool: str, **arguments) -> str:
        try:
            result = self.client.call_tool(tool, **arguments)
        except RuntimeError as error:  # the observation's {error_type, message}, raised by the client
            return f"Error: {error}"
        if tool == "submit":
            self.reward = float(result["reward"])
            return f"Submitted; reward {self.reward}"
        return result if isinstance(result, str) else str(result)

    def close(self):
        self.client.close()


def reward_from_environment(environments, **kwargs):
    return [env.reward for env in environments]


def demo():
    env = SpindleTaskEnv()
    print("bare sandbox:", env.reset(seed=7))
    print(env.write_file("notes/todo.md", "- ship it\n"))
    print(env.read_file("notes/todo.md"))
    print("tools:", [t.name for t in env.client.list_tools()])
    print("state:", env.client.state())
    task = os.environ.get("SPINDLE_TASK")
    if task:  # a task the server serves (spindle serve --tasks examples/tasks), e.g. fix-median
        print("task:", env.reset(task=task, seed=1))
        print(env.submit(), "breakdown:", env.client.async_client.last_observation.get("breakdown"))
    env.close()


def train():
    from datasets import Dataset
    from trl import GRPOConfig, GRPOTrainer

    task = os.environ.get("SPINDLE_TASK", "fix-median")
    dataset = Dataset.from_list([{"prompt": [{"role": "user", "content": "Solve the task."}], "task": task, "seed": i}
                                 for i in range(64)])
    trainer = GRPOTrainer(
        model=os.environ.get("MODEL", "Qwen/Qwen3-0.6B"),
        reward_funcs=reward_from_environment,
        train_dataset=dataset,
        environment_factory=SpindleTaskEnv,
        # 64 sessions at once: start spindle serve with --max-envs 64 or more
        args=GRPOConfig(per_device_train_batch_size=8, gradient_accumulation_steps=8, max_completion_length=2048),
    )
    trainer.train()


if __name__ == "__main__":
    train() if "--train" in sys.argv else demo()
