package io.camelpowerbi;

import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;

/** An in-process one-node KRaft Kafka that hosts consumer groups, for tests of routes reading a topic in a group. */
public final class GroupBroker {

    private GroupBroker() {}

    /** Started and ready; close it once. Sessions may be as short as 1 s, so a killed member is noticed quickly. */
    public static KafkaClusterTestKit start() throws Exception {
        KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1") // default 3: no consumer groups on one broker
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("group.min.session.timeout.ms", "1000")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
        return kafka;
    }
}
