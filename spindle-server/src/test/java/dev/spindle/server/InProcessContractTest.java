package dev.spindle.server;

/** The contract on the runtime itself, in this process: what the other ways are held to. */
class InProcessContractTest extends ToolCallingContract {
    @Override
    Caller open() {
        return inProcess();
    }
}
