import { classifyIntent } from '../../../src/core/reply/intent';

describe('classifyIntent', () => {
  const cases: Array<[string, 'yes' | 'cancel' | 'review', string]> = [
    ['Yes', 'yes', 'yes'],
    ['Hi Host,\n\nYes!\n\nThanks', 'yes', 'yes'],
    ['Sure!', 'yes', 'sure'],
    ['Im in!', 'yes', 'im in'],
    ['👍', 'yes', '👍'],
    ['+1', 'yes', '+1'],
    ["Can't make it, sorry\n\nAda Lovelace\n+1 555 123 4567", 'cancel', "can't make it"],
    ['RSVP yes', 'yes', 'rsvp yes'],
    ['Can’t wait, see you there', 'yes', 'see you there'],
    ['No problem, I will be there', 'yes', 'i will be there'],
    ["I'm not attending", 'cancel', 'not attending'],
    ['I can not come', 'cancel', 'can not come'],
    ['cant make it', 'cancel', 'cant make it'],
    ['No, sorry.', 'cancel', 'no, sorry'],
    ['Please remove me from the list', 'cancel', 'please remove me'],
    ['I have to decline', 'cancel', 'i have to decline'],
    ['Count me out', 'cancel', 'count me out'],
    ['not sure I can come', 'review', 'not sure'],
    ['No', 'review', 'no'],
    ['Possibly', 'review', 'possibly'],
    ['Yes I have to cancel', 'review', 'yes + cancel'],
    ['cancellation policy?', 'review', '?'],
    ["I'm in London that week", 'review', ''],
    ['Make sure the wine is cold', 'review', ''],
    ['Yesterday was fun', 'review', ''],
    ['', 'review', ''],
    ['Yes, details at https://example.com/?q=1', 'yes', 'yes'],
  ];
  test.each(cases)('%j → %s', (text, intent, matched) => {
    expect(classifyIntent(text)).toEqual({ intent, matched });
  });
});
