/** Every CLI command, registered in this order by src/cli/program.ts. */
import type { Command } from "commander";
import type { CliIO } from "../io.js";
import { registerConvert } from "./convert.js";
import { registerExtract } from "./extract.js";
import { registerGenerate } from "./generate.js";
import { registerServe } from "./serve.js";

export const COMMANDS: readonly ((program: Command, io: CliIO) => void)[] = [registerServe, registerConvert, registerExtract, registerGenerate];
