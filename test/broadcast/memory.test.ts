// The in-process engine (no Redis): the same behaviour as the BullMQ engine, minus durability.
import { createMemoryDelivery } from "../../src/broadcast/memory.js";
import { describeDeliveryBehaviour } from "./behaviour.js";

describeDeliveryBehaviour("in-memory", (options) => createMemoryDelivery(options));
