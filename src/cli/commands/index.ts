/** Every CLI command, registered in this order by src/cli/program.ts. */
import type { Command } from "commander";
import type { CliIO } from "../io.js";
import { registerCache } from "./cache.js";
import { registerCheck } from "./check.js";
import { registerConvert } from "./convert.js";
import { registerFetch } from "./fetch.js";
import { registerGate } from "./gate.js";
import { registerExtract } from "./extract.js";
import { registerGenerate } from "./generate.js";
import { registerLint } from "./lint.js";
import { registerServe } from "./serve.js";

export const COMMANDS: readonly ((program: Command, io: CliIO) => void)[] = [registerServe, registerFetch, registerConvert, registerLint, registerExtract, registerGenerate, registerCheck, registerGate, registerCache];
