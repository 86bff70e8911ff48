// Colour only where it helps: a terminal that has not asked for NO_COLOR.
import pc from 'picocolors';

export type Palette = ReturnType<typeof pc.createColors>;

export function palette(stream: NodeJS.WriteStream = process.stdout): Palette {
  const enabled = !('NO_COLOR' in process.env) && ('FORCE_COLOR' in process.env || stream.isTTY === true);
  return pc.createColors(enabled);
}
