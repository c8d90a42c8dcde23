import { Box } from 'ink';
import type { OutputScreen } from './project-lines.js';
import { ScrollPane } from './ScrollPane.js';

/**
 * A compose command's output, full body: the exact command line on top, the output lines (the
 * window `outputScreen` chose), and at the bottom how it is going or how it ended.
 */
export function CommandOutput({ screen, width, height }: { screen: OutputScreen; width: number; height: number }) {
  return (
    <Box flexDirection="column" width={width} height={height}>
      <ScrollPane lines={screen.header} offset={0} width={width} height={screen.header.length} />
      <ScrollPane lines={screen.body} offset={0} width={width} height={screen.rows} />
      <ScrollPane lines={[screen.status]} offset={0} width={width} height={1} />
    </Box>
  );
}
