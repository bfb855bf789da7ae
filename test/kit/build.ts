import { resolve } from 'node:path';
import ts from 'typescript';

/** The TypeScript files `npm run build` compiles (tsconfig.build.json's include less its exclude), as absolute paths. */
export function compiledSources(): Set<string> {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    'tsconfig.build.json',
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  return new Set(parsed!.fileNames.map((file) => resolve(file)));
}

/** The source a compiled entry point (`dist/<path>.js`, as a container's command names it) is built from. */
export function sourceOf(entry: string): string {
  const m = /^dist\/(.+)\.js$/.exec(entry);
  if (!m) throw new Error(`${entry}: not a compiled entry point (dist/….js)`);
  return resolve(`${m[1]}.ts`);
}
