// The healthy zoo, part d (sequence models on float series: Conv1D, LSTM, GRU): setups of kinds
// parts a–c lack, each trained here with a plain fit after its checkup to show that it really
// learns (the checkup only reads the model). A file of its own so the test workers share the zoo.
import { describeZoo } from './zoo/describe-zoo.ts';
import { ZOO_SEQUENCES } from './zoo/setups-d.ts';

describeZoo('healthy zoo (d): sequence models on float series', ZOO_SEQUENCES, { verifyLearning: true });
