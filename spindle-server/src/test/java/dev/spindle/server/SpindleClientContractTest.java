package dev.spindle.server;

import dev.spindle.client.SpindleClient;

/** The contract through {@code SpindleClient}, over HTTP to a real server on a free port. */
class SpindleClientContractTest extends ToolCallingContract {
    private SpindleClient client;

    @Override
    void started() {
        client = SpindleClient.connect(s.base);
    }

    @Override
    void stopped() {
        client.close();
    }

    @Override
    Caller open() {
        return new ServiceSession(client);
    }
}
