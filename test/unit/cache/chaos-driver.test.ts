/** The chaos driver the facade's fault tests use honours the same contract as the Redis driver. */
import { ChaosDriver } from "../../helpers/chaos-driver.js";
import { driverContract } from "./driver-contract.js";

driverContract("chaos (in memory, faults off)", async () => ({ driver: new ChaosDriver() }));
